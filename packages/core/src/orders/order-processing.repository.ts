import { sql, type Selectable } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import { db, type Database, type Nullable } from '../db/database';
import type { ApplyOrderDecisionsRow } from '../db/sql/sql-function-rows';
import { hasSqlState, sqlStates } from '../db/sql/sql-functions';
import type { OrderStatus } from './order-status-events';
import type { OrderFailureReason } from '@lapak/contracts';
import type { LockedStock, OrderDecision, PendingOrder } from './order-decision';

/** An order after a status change, as the status channel and the metrics need it. */
export interface ChangedOrder {
  id: string;
  userId: string;
  status: OrderStatus;
  failureReason: OrderFailureReason | null;
  createdAt: Date;
  updatedAt: Date;
}

type OrderRow = Selectable<Database['orders']>;
type LineRow = Selectable<Database['order_lines']>;
type VariantRow = Selectable<Database['product_variants']>;

/** An order row after a status change: what `apply_order_decisions` and the updates below return. */
type ChangedRow = ApplyOrderDecisionsRow;

const toChanged = (row: ChangedRow): ChangedOrder => ({
  id: row.id,
  userId: row.user_id,
  status: row.status,
  failureReason: row.failure_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** An order with one of its lines (none: the line's columns are null, from the left join). */
type PendingRow = Pick<OrderRow, 'id' | 'status' | 'created_at'> &
  Nullable<Pick<LineRow, 'variant_id' | 'quantity'>>;

/** The pending orders among the rows (one per line, in order id and line order), with their lines. */
function pendingOf(rows: PendingRow[]): PendingOrder[] {
  const orders = new Map<string, PendingOrder>();
  for (const row of rows) {
    if (row.status !== 'pending') continue;
    let order = orders.get(row.id);
    if (!order) {
      order = { id: row.id, createdAt: row.created_at, lines: [] };
      orders.set(row.id, order);
    }
    if (row.variant_id !== null && row.quantity !== null) {
      order.lines.push({ variantId: row.variant_id, quantity: row.quantity });
    }
  }
  return [...orders.values()];
}

const returning = sql`returning o.id, o.user_id, o.status, o.failure_reason, o.created_at, o.updated_at`;

/**
 * Order status changes: the worker's decisions, failures, time-outs and cancellations. Order
 * rows are locked in id order, always before any product, with `FOR NO KEY UPDATE` (the key
 * never changes), so they never block the foreign-key checks of rows that reference them.
 */
export class OrderProcessingRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Those of `ids` that are still pending, with their lines, having locked all of `ids` (id
   * order) for the caller's transaction: an order another transaction is deciding is waited for,
   * then skipped if no longer pending.
   */
  async lockPending(ids: string[]): Promise<PendingOrder[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<PendingRow>`
      select o.id, o.status, o.created_at, l.variant_id, l.quantity
        from orders o left join order_lines l on l.order_id = o.id and l.order_id = any(${ids}::uuid[])
       where o.id = any(${ids}::uuid[])
       order by o.id, l.line_no
       for no key update of o
    `.execute(db(this.em));
    return pendingOf(rows);
  }

  /**
   * Those of `ids` that are still pending, with their lines, and the stock of their lines'
   * variants and whether each can be sold, as committed now (no locks; one statement, so one
   * snapshot): what an unlocked decision reads.
   */
  async pendingWithStock(
    ids: string[],
  ): Promise<{ pending: PendingOrder[]; stock: Map<string, LockedStock> }> {
    if (ids.length === 0) return { pending: [], stock: new Map() };
    // Orders and lines both looked up by the ids, so each is an index lookup whatever the
    // planner's statistics say (without the second condition a young table got a full scan of
    // order_lines per batch); the status is checked here, as the status index holds an entry
    // for every order that ever was pending (until vacuum).
    const { rows } = await sql<
      PendingRow & Nullable<Pick<VariantRow, 'stock'>> & { sellable: boolean | null }
    >`
      select o.id, o.status, o.created_at, l.variant_id, l.quantity, v.stock,
             (v.deleted_at is null and p.status = 'published' and p.deleted_at is null) as sellable
        from orders o
        left join order_lines l on l.order_id = o.id and l.order_id = any(${ids}::uuid[])
        left join product_variants v on v.id = l.variant_id
        left join products p on p.id = v.product_id
       where o.id = any(${ids}::uuid[])
       order by o.id, l.line_no
    `.execute(db(this.em));
    const stock = new Map<string, LockedStock>();
    for (const row of rows) {
      if (row.status === 'pending' && row.variant_id !== null && row.stock !== null) {
        stock.set(row.variant_id, { id: row.variant_id, stock: row.stock, sellable: row.sellable === true });
      }
    }
    return { pending: pendingOf(rows), stock };
  }

  /** The current status of each of `ids` that exists. */
  async statuses(ids: string[]): Promise<Map<string, OrderStatus>> {
    if (ids.length === 0) return new Map();
    const { rows } = await sql<Pick<OrderRow, 'id' | 'status'>>`
      select id, status from orders where id = any(${ids}::uuid[])
    `.execute(db(this.em));
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  /**
   * Writes a batch's decisions with the units they take per variant, in one call
   * (`apply_order_decisions`, db/sql/apply-order-decisions.sql): locks the orders, then the
   * products, each in id order; takes the units with conditional updates that bump each
   * product's version and append its outbox event; writes the statuses. Throws
   * `sqlStates.decisionStale`, having written nothing, if an order is no longer pending or a
   * variant can no longer give its units (never the case for rows this transaction already holds
   * locked).
   */
  async apply(decisions: OrderDecision[], taken: Map<string, number>): Promise<ChangedOrder[]> {
    if (decisions.length === 0) return [];
    const variantIds = [...taken.keys()];
    const { rows } = await sql<ChangedRow>`
      select id, user_id, status, failure_reason, created_at, updated_at from apply_order_decisions(
        ${variantIds}::uuid[], ${variantIds.map((id) => taken.get(id))}::int[],
        ${decisions.map((d) => d.orderId)}::uuid[], ${decisions.map((d) => d.status)}::text[],
        ${decisions.map((d) => (d.status === 'failed' ? d.reason : null))}::text[])
    `.execute(db(this.em));
    return rows.map(toChanged);
  }

  /**
   * `apply` for decisions made against an unlocked read: returns null, having written nothing,
   * if the catalog moved since the read (`sqlStates.decisionStale`): read again and decide again.
   */
  async applyUnlocked(
    decisions: OrderDecision[],
    taken: Map<string, number>,
  ): Promise<ChangedOrder[] | null> {
    try {
      return await this.apply(decisions, taken);
    } catch (error) {
      if (hasSqlState(error, sqlStates.decisionStale)) return null;
      throw error;
    }
  }

  /** Fails those of `ids` that are still pending, with `reason`. */
  async failPending(ids: string[], reason: OrderFailureReason): Promise<ChangedOrder[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<ChangedRow>`
      update orders o set status = 'failed', failure_reason = ${reason}, updated_at = clock_timestamp()
       where o.id in (select id from orders where id = any(${ids}::uuid[]) and status = 'pending'
                       order by id for no key update)
      ${returning}
    `.execute(db(this.em));
    return rows.map(toChanged);
  }

  /**
   * Fails up to `limit` orders pending for longer than `olderThanMs` with `timed_out`. Orders a
   * worker is deciding right now are skipped (their decision is about to land).
   */
  async timeOutPending(olderThanMs: number, limit: number): Promise<ChangedOrder[]> {
    const { rows } = await sql<ChangedRow>`
      update orders o set status = 'failed', failure_reason = 'timed_out', updated_at = clock_timestamp()
       where o.id in (select id from orders
                       where status = 'pending' and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
                       order by id limit ${limit} for no key update skip locked)
      ${returning}
    `.execute(db(this.em));
    return rows.map(toChanged);
  }

  /** Locks one order for a cancellation and returns its owner, status and lines. */
  async lockOne(
    id: string,
  ): Promise<{ id: string; userId: string; status: OrderStatus; lines: PendingOrder['lines'] } | null> {
    const { rows } = await sql<Pick<OrderRow, 'id' | 'user_id' | 'status'>>`
      select id, user_id, status from orders where id = ${id} for no key update
    `.execute(db(this.em));
    const row = rows[0];
    if (!row) return null;
    const lines = await sql<Pick<LineRow, 'variant_id' | 'quantity'>>`
      select variant_id, quantity from order_lines where order_id = ${id} order by line_no
    `.execute(db(this.em));
    return {
      id: row.id,
      userId: row.user_id,
      status: row.status,
      lines: lines.rows.map((line) => ({ variantId: line.variant_id, quantity: line.quantity })),
    };
  }

  /** Moves orders this transaction holds locked to `status` (with `reason` when failed). */
  async markStatus(
    ids: string[],
    status: Exclude<OrderStatus, 'pending'>,
    reason: OrderFailureReason | null = null,
  ): Promise<ChangedOrder[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<ChangedRow>`
      update orders o set status = ${status}, failure_reason = ${reason}, updated_at = clock_timestamp()
       where o.id = any(${ids}::uuid[])
      ${returning}
    `.execute(db(this.em));
    return rows.map(toChanged);
  }

  /**
   * Locks up to `limit` orders awaiting a payment whose deadline has passed (id order; an order
   * another transaction holds, such as a payment being confirmed, is skipped and left for the
   * next sweep) and returns their ids with the units their lines reserved, per product.
   */
  async lockPaymentDue(limit: number): Promise<{ ids: string[]; units: Map<string, number> }> {
    const locked = await sql<Pick<OrderRow, 'id'>>`
      select o.id from orders o join payments pm on pm.order_id = o.id
       where o.status = 'awaiting_payment' and pm.status = 'pending' and pm.due_at <= now()
       order by o.id limit ${limit}
       for no key update of o skip locked
    `.execute(db(this.em));
    const ids = locked.rows.map((row) => row.id);
    return { ids, units: await this.unitsOf(ids) };
  }

  /** The units the lines of `ids` hold, per variant. */
  async unitsOf(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const { rows } = await sql<{ variant_id: string; quantity: number }>`
      select variant_id, sum(quantity)::int as quantity from order_lines
       where order_id = any(${ids}::uuid[]) group by variant_id
    `.execute(db(this.em));
    return new Map(rows.map((row) => [row.variant_id, row.quantity]));
  }

  /** Ids of up to `limit` orders pending for longer than `olderThanMs`, oldest first. */
  async listPendingOlderThan(olderThanMs: number, limit: number): Promise<string[]> {
    const { rows } = await sql<Pick<OrderRow, 'id'>>`
      select id from orders
       where status = 'pending' and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
       order by created_at limit ${limit}
    `.execute(db(this.em));
    return rows.map((row) => row.id);
  }
}
