import type { EntityManager } from '@mikro-orm/postgresql';
import { productUpserted } from '../catalog/catalog-events';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { OrderFailureReason } from '@lapak/contracts';
import { decideOrders } from './order-decision';
import { OrderProcessingRepository, type ChangedOrder } from './order-processing.repository';
import type { OrderStatus, OrderStatusEvent } from './order-status-events';
import { StockRepository } from './stock.repository';

export interface BatchOutcome {
  /** Orders this batch confirmed or failed, committed. */
  decided: ChangedOrder[];
  /** Orders that were no longer pending (decided before, cancelled): left alone. */
  alreadyFinal: Map<string, OrderStatus>;
  /** Ids that name no order at all. */
  missing: string[];
}

export const toStatusEvent = (order: ChangedOrder): OrderStatusEvent => ({
  orderId: order.id,
  userId: order.userId,
  status: order.status,
  failureReason: order.failureReason,
  updatedAt: order.updatedAt.toISOString(),
});

/**
 * Decides pending orders. One transaction per batch: lock the pending orders (id order), lock
 * every product they name (id order), decide oldest first against the locked stock, take the
 * stock of all confirmed orders with one conditional UPDATE that also bumps each product's
 * version, append a `product.upserted` per changed product to the outbox, write the statuses.
 * Either all of it commits or none of it does. An order that is no longer pending is left alone,
 * so deciding the same order twice has no effect.
 */
export class OrderProcessingService {
  constructor(private readonly em: EntityManager) {}

  async decide(orderIds: string[]): Promise<BatchOutcome> {
    const ids = [...new Set(orderIds)];
    return this.em.transactional(async (em) => {
      const orders = new OrderProcessingRepository(em);
      const stock = new StockRepository(em);
      const pending = await orders.lockPending(ids);

      const lockedIds = new Set(pending.map((order) => order.id));
      const others = ids.filter((id) => !lockedIds.has(id));
      const alreadyFinal = await orders.statuses(others);
      const missing = others.filter((id) => !alreadyFinal.has(id));
      if (pending.length === 0) return { decided: [], alreadyFinal, missing };

      const productIds = [...new Set(pending.flatMap((order) => order.lines.map((line) => line.productId)))];
      const locked = await stock.lock(productIds);
      const { decisions, taken } = decideOrders(pending, locked);
      const changedProducts = await stock.take(taken);
      await new OutboxRepository(em).append(changedProducts.map(productUpserted));
      const decided = await orders.applyDecisions(decisions);
      return { decided, alreadyFinal, missing };
    });
  }

  /** Fails those of `orderIds` still pending (retries exhausted, or timed out). */
  async fail(orderIds: string[], reason: OrderFailureReason): Promise<ChangedOrder[]> {
    return this.em.transactional((em) => new OrderProcessingRepository(em).failPending(orderIds, reason));
  }
}
