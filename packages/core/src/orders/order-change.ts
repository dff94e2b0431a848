import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto } from '@lapak/contracts';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PaymentRepository } from '../payments/payment.repository';
import { OrderProcessingRepository, type ChangedOrder } from './order-processing.repository';
import { toStatusEvent } from './order-processing.service';
import { publishCommitted, type PublishOrderStatus } from './order-status-events';
import { OrderRepository } from './order.repository';
import { StockRepository } from './stock.repository';

export type LockedOrder = NonNullable<Awaited<ReturnType<OrderProcessingRepository['lockOne']>>>;

/**
 * A service that changes single orders, the way every writer of a single order does: in a
 * transaction that locks the order row first (the lock every order writer takes, before any
 * product), so a change and a worker deciding the same order run one after the other and the
 * change sees the decision. New statuses are published once committed.
 */
export abstract class OrderChangeService {
  constructor(
    protected readonly em: EntityManager,
    protected readonly publish: PublishOrderStatus,
    protected readonly log?: Logger,
  ) {}

  /**
   * `change` gets the locked order (null if there is none) and returns it as changed; its new
   * status is published once committed, and the order is answered as stored.
   */
  protected async changeOrder(
    orderId: string,
    change: (order: LockedOrder | null, em: EntityManager) => Promise<ChangedOrder>,
  ): Promise<OrderDto> {
    const changed = await this.em.transactional(async (em) => {
      const order = await new OrderProcessingRepository(em).lockOne(orderId);
      return change(order, em);
    });
    await this.published([changed]);
    const stored = await new OrderRepository(this.em).findById(orderId);
    if (!stored) throw AppError.notFound('Order');
    return stored.order;
  }

  /** Publishes the new statuses of committed changes. */
  protected published(changed: ChangedOrder[]): Promise<void> {
    return publishCommitted(this.publish, changed.map(toStatusEvent), this.log);
  }
}

/**
 * Gives back the units that locked orders hold, in the caller's transaction: each variant's stock
 * (its product's version bumped and `product.upserted` outboxed, like any stock change), and
 * closes the orders' payments.
 */
export async function releaseHeldUnits(
  em: EntityManager,
  orderIds: string[],
  units: Map<string, number>,
): Promise<void> {
  const restocked = await new StockRepository(em).giveBack(units);
  await new OutboxRepository(em).appendProductsUpserted(restocked);
  await new PaymentRepository(em).close(orderIds);
}
