import type { OrderStatusName } from '@lapak/contracts';
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
