import type { OrderStatusName } from '@lapak/contracts';
import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';

export type OrderStatus = OrderStatusName;

/** Published on Redis each time an order's status changes; every API instance relays it to SSE streams. */
export interface OrderStatusEvent {
  orderId: string;
  userId: string;
  status: OrderStatus;
  failureReason: string | null;
  updatedAt: string;
}

/** One pub/sub channel per deployment; messages are JSON `OrderStatusEvent`s. */
export const orderStatusChannel = (redisPrefix: string) => `${redisPrefix}:order-status`;

export async function publishOrderStatus(
  redis: Redis,
  redisPrefix: string,
  events: OrderStatusEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.publish(orderStatusChannel(redisPrefix), JSON.stringify(event));
  await pipeline.exec();
}

/** Where a status change goes after its commit (the order-status channel on Redis). */
export type PublishOrderStatus = (events: OrderStatusEvent[]) => Promise<void>;

/**
 * Publishes status changes already committed. A failure is logged, not thrown: the change
 * stands, and a status stream re-reads the order on its next heartbeat.
 */
export async function publishCommitted(
  publish: PublishOrderStatus,
  events: OrderStatusEvent[],
  log?: Logger,
): Promise<void> {
  try {
    await publish(events);
  } catch (error) {
    log?.warn({ err: error, orderIds: events.map((event) => event.orderId) }, 'order status not published');
  }
}
