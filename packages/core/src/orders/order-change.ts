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
 * Changes one order the way every writer of a single order does: in a transaction that locks the
 * order row first (the lock every order writer takes, before any product), so a change and a
 * worker deciding the same order run one after the other and the change sees the decision.
 * `change` gets the locked order (404 if there is none) and returns it as changed; its new status
 * is published once committed, and the order is answered as stored.
 */
export async function changeOrder(
  deps: { em: EntityManager; publish: PublishOrderStatus; log?: Logger },
  orderId: string,
  change: (order: LockedOrder | null, em: EntityManager) => Promise<ChangedOrder>,
): Promise<OrderDto> {
  const changed = await deps.em.transactional(async (em) => {
    const order = await new OrderProcessingRepository(em).lockOne(orderId);
    return change(order, em);
  });
  await publishCommitted(deps.publish, [toStatusEvent(changed)], deps.log);
  const stored = await new OrderRepository(deps.em).findById(orderId);
  if (!stored) throw AppError.notFound('Order');
  return stored.order;
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
