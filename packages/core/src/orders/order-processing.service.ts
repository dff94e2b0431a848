import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderFailureReason } from '@lapak/contracts';
import { decideOrders, type PendingOrder } from './order-decision';
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

/** Unlocked reads tried before a batch is decided under locks instead (see `decide`). */
const UNLOCKED_ATTEMPTS = 3;

/**
 * Decides pending orders, oldest first, all or nothing per batch: each confirmed order takes its
 * units with a conditional UPDATE that also bumps each product's version, a `product.upserted`
 * per changed product goes to the outbox, and the statuses are written, in one transaction.
 * An order that is no longer pending is left alone, so deciding the same order twice has no
 * effect. Rows are always locked orders first, then products, each in id order, so two batches
 * never deadlock.
 */
export class OrderProcessingService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Reads the batch and its products' stock without locks, in one statement; decides it; and
   * writes the decisions in one statement that checks them against the rows it locks
   * (`applyUnlocked`): no row stays locked while this process is busy between statements, so
   * batches of other workers rarely wait. If the catalog moved between the read and the write,
   * nothing was written and the batch is read again; after a few such tries it is decided under
   * locks held from the read to the commit.
   */
  async decide(orderIds: string[]): Promise<BatchOutcome> {
    const ids = [...new Set(orderIds)];
    for (let attempt = 0; attempt < UNLOCKED_ATTEMPTS; attempt++) {
      const outcome = await this.decideUnlocked(ids);
      if (outcome) return outcome;
    }
    return this.decideLocked(ids);
  }

  private async decideUnlocked(ids: string[]): Promise<BatchOutcome | null> {
    const orders = new OrderProcessingRepository(this.em);
    const { pending, stock } = await orders.pendingWithStock(ids);
    const { alreadyFinal, missing } = await this.notPending(orders, ids, pending);
    if (pending.length === 0) return { decided: [], alreadyFinal, missing };
    const { decisions, taken } = decideOrders(pending, stock);
    const decided = await orders.applyUnlocked(decisions, taken);
    return decided && { decided, alreadyFinal, missing };
  }

  /** Lock the pending orders, then their variants' products (id order), decide, write the same way, commit. */
  private async decideLocked(ids: string[]): Promise<BatchOutcome> {
    return this.em.transactional(async (em) => {
      const orders = new OrderProcessingRepository(em);
      const stock = new StockRepository(em);
      const pending = await orders.lockPending(ids);
      const { alreadyFinal, missing } = await this.notPending(orders, ids, pending);
      if (pending.length === 0) return { decided: [], alreadyFinal, missing };

      const locked = await stock.lock(variantIdsOf(pending));
      const { decisions, taken } = decideOrders(pending, locked);
      const decided = await orders.apply(decisions, taken);
      return { decided, alreadyFinal, missing };
    });
  }

  /** The statuses of those of `ids` not among `pending`, and the ids that name no order. */
  private async notPending(orders: OrderProcessingRepository, ids: string[], pending: PendingOrder[]) {
    const pendingIds = new Set(pending.map((order) => order.id));
    const others = ids.filter((id) => !pendingIds.has(id));
    const alreadyFinal = await orders.statuses(others);
    return { alreadyFinal, missing: others.filter((id) => !alreadyFinal.has(id)) };
  }

  /** Fails those of `orderIds` still pending (retries exhausted, or timed out). */
  async fail(orderIds: string[], reason: OrderFailureReason): Promise<ChangedOrder[]> {
    return this.em.transactional((em) => new OrderProcessingRepository(em).failPending(orderIds, reason));
  }
}

const variantIdsOf = (orders: PendingOrder[]) => [
  ...new Set(orders.flatMap((order) => order.lines.map((line) => line.variantId))),
];
