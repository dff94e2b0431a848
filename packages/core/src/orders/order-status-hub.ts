import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';
import { orderStatusChannel, type OrderStatusEvent } from './order-status-events';

export type OrderStatusListener = (event: OrderStatusEvent) => void;

/**
 * One Redis subscription per process on the deployment's order-status channel, fanned out in
 * process to whoever watches an order (the SSE streams). The subscription is made on first use
 * and kept; ioredis re-subscribes by itself after a reconnect.
 */
export class OrderStatusHub {
  private readonly listeners = new Map<string, Set<OrderStatusListener>>();
  private subscribed: Promise<void> | null = null;
  private readonly channel: string;

  constructor(
    private readonly subscriber: Redis,
    redisPrefix: string,
    private readonly log: Logger,
  ) {
    this.channel = orderStatusChannel(redisPrefix);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.dispatch(message);
    });
  }

  /**
   * Calls `listener` for every status change of `orderId` until the returned function is
   * called. Resolves only once Redis has confirmed the subscription, so a caller that reads
   * the current status afterwards cannot miss a change made in between.
   */
  async watch(orderId: string, listener: OrderStatusListener): Promise<() => void> {
    await this.subscribe();
    let set = this.listeners.get(orderId);
    if (!set) this.listeners.set(orderId, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.listeners.get(orderId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(orderId);
    };
  }

  /** Orders watched right now (for tests and metrics). */
  get watchedOrders(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  private subscribe(): Promise<void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: unknown) => {
        this.subscribed = null;
        throw error;
      },
    );
    return this.subscribed;
  }

  private dispatch(message: string): void {
    let event: OrderStatusEvent;
    try {
      event = JSON.parse(message) as OrderStatusEvent;
    } catch {
      this.log.warn({ channel: this.channel }, 'order status message is not JSON; ignored');
      return;
    }
    const set = typeof event?.orderId === 'string' ? this.listeners.get(event.orderId) : undefined;
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn({ err: error, orderId: event.orderId }, 'order status listener failed');
      }
    }
  }
}
