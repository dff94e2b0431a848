import type { OrderFailureReason } from '@lapak/contracts';

/**
 * A pending order as the decision sees it: who, when, and how much of which variant. Stock is
 * per variant (a product without options has one).
 */
export interface PendingOrder {
  id: string;
  createdAt: Date;
  lines: { variantId: string; quantity: number }[];
}

/**
 * A variant's stock as read for the decision (`id` is the variant's). `sellable`: the variant is
 * live and its product published and not deleted.
 */
export interface LockedStock {
  id: string;
  stock: number;
  sellable: boolean;
}

export type OrderDecision =
  | { orderId: string; status: 'confirmed' }
  | { orderId: string; status: 'failed'; reason: OrderFailureReason };

export interface BatchDecision {
  /** One decision per order, in the order they were decided (FIFO). */
  decisions: OrderDecision[];
  /** Units taken per variant by the confirmed orders; only variants with a change. */
  taken: Map<string, number>;
}

/** Oldest first; ties broken by id, so every process decides the same batch the same way. */
export function fifo(a: PendingOrder, b: PendingOrder): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Decides a batch of pending orders against the stock locked for it, oldest order first.
 * An order is confirmed only if every one of its lines can be filled from what the orders
 * before it left; otherwise it takes nothing and fails: `product_unavailable` when a product is
 * deleted, draft or archived (or the variant removed), else `out_of_stock`. Pure: the caller applies the result.
 */
export function decideOrders(orders: PendingOrder[], stock: Map<string, LockedStock>): BatchDecision {
  const remaining = new Map<string, number>();
  for (const row of stock.values()) remaining.set(row.id, row.stock);
  const taken = new Map<string, number>();
  const decisions: OrderDecision[] = [];

  for (const order of [...orders].sort(fifo)) {
    const wanted = new Map<string, number>();
    for (const line of order.lines) {
      wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    }
    if (wanted.size === 0) {
      decisions.push({ orderId: order.id, status: 'failed', reason: 'processing_failed' });
      continue;
    }
    const unavailable = [...wanted.keys()].some((variantId) => !stock.get(variantId)?.sellable);
    if (unavailable) {
      decisions.push({ orderId: order.id, status: 'failed', reason: 'product_unavailable' });
      continue;
    }
    const short = [...wanted].some(([variantId, quantity]) => (remaining.get(variantId) ?? 0) < quantity);
    if (short) {
      decisions.push({ orderId: order.id, status: 'failed', reason: 'out_of_stock' });
      continue;
    }
    for (const [variantId, quantity] of wanted) {
      remaining.set(variantId, (remaining.get(variantId) ?? 0) - quantity);
      taken.set(variantId, (taken.get(variantId) ?? 0) + quantity);
    }
    decisions.push({ orderId: order.id, status: 'confirmed' });
  }
  return { decisions, taken };
}
