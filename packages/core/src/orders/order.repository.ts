import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto, OrderFailureReason, OrderStatusName } from '@lapak/contracts';
import { AppError } from '../errors/app-error';

/** What checkout needs to know of a product: the snapshot it copies into the order line. */
export interface CheckoutProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
}

export interface IdempotencyRecord {
  userId: string;
  key: string;
  requestHash: string;
}

/** One checkout to store: the order's id, its owner, its lines and its idempotency record. */
export interface NewCheckout {
  id: string;
  userId: string;
  lines: Array<{ productId: string; quantity: number }>;
  key: IdempotencyRecord;
}

interface CheckoutRow {
  ok: boolean;
  total: string | null;
  currency: string | null;
  created_at: Date | string | null;
  updated_at: Date | string | null;
  items: OrderDto['items'] | null;
}

function toCheckoutInsert(orderId: string, row: CheckoutRow | undefined): CheckoutInsert {
  if (!row?.ok) return { status: 'invalid' };
  if (!row.created_at || !row.updated_at || !row.items) return { status: 'key_exists' };
  return {
    status: 'created',
    order: {
      id: orderId,
      status: 'pending',
      failureReason: null,
      items: row.items,
      totalCents: Number(row.total),
      currency: row.currency!,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    },
  };
}

/** What one checkout statement did: stored the order, found the key taken, or found a bad line. */
export type CheckoutInsert =
  { status: 'created'; order: OrderDto } | { status: 'key_exists' } | { status: 'invalid' };

/** An order as stored, with its owner (which the public order JSON does not show). */
export interface StoredOrder {
  userId: string;
  order: OrderDto;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatusName;
  failure_reason: OrderFailureReason | null;
  total_cents: string | number;
  currency: string;
  created_at: Date | string;
  updated_at: Date | string;
  items: OrderDto['items'];
}

/** A foreign key to users failed: the token names a user that is not there (any more). */
function isMissingUser(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23503' && /_user_id_fkey$/.test(constraint ?? '');
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toStoredOrder(row: OrderRow): StoredOrder {
  return {
    userId: row.user_id,
    order: {
      id: row.id,
      status: row.status,
      failureReason: row.failure_reason,
      items: row.items,
      totalCents: Number(row.total_cents),
      currency: row.currency,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    },
  };
}

/** The columns of an order plus its lines (in line order) as a JSON array, for one round trip. */
const orderColumns = sql`
  o.id, o.user_id, o.status, o.failure_reason, o.total_cents, o.currency, o.created_at, o.updated_at,
  (select coalesce(json_agg(json_build_object(
            'productId', l.product_id, 'sku', l.sku, 'name', l.name,
            'unitPriceCents', l.unit_price_cents, 'quantity', l.quantity) order by l.line_no), '[]'::json)
     from order_lines l where l.order_id = o.id) as items`;

/** Orders, their lines and idempotency records, in plain SQL (the checkout path avoids the ORM's unit of work). */
export class OrderRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  /** Products that can be bought: published and not deleted. Unknown ids are simply missing. */
  async findPurchasable(ids: string[]): Promise<CheckoutProduct[]> {
    const { rows } = await sql<CheckoutProduct>`
      select id, sku, name, price_cents as "priceCents", currency
        from products
       where id = any(${ids}::uuid[]) and deleted_at is null and status = 'published'
    `.execute(this.db);
    return rows;
  }

  /**
   * Checkouts in ONE statement, so in one transaction and one round trip: the `checkout_orders`
   * function (db/sql/checkout-orders.sql) checks every checkout's lines against the catalog and
   * inserts, for those that pass, the idempotency records first, then the pending orders and
   * their lines with the products' sku, name and price of this moment, set-based for the whole
   * batch. Several checkouts share the statement, and so one commit, when the API is busy.
   */
  async insertCheckouts(orders: NewCheckout[]): Promise<CheckoutInsert[]> {
    const input = orders.map((order, index) => ({
      i: index,
      id: order.id,
      userId: order.userId,
      key: order.key.key,
      hash: order.key.requestHash,
      productIds: order.lines.map((line) => line.productId),
      quantities: order.lines.map((line) => line.quantity),
    }));
    const { rows } = await sql<CheckoutRow & { i: number }>`
      select * from checkout_orders(${JSON.stringify(input)}::jsonb)
    `
      .execute(this.db)
      .catch((error: unknown) => {
        throw isMissingUser(error)
          ? new AppError('unauthenticated', 'The user of this token no longer exists')
          : error;
      });
    const byIndex = new Map(rows.map((row) => [row.i, row]));
    return orders.map((order, index) => toCheckoutInsert(order.id, byIndex.get(index)));
  }

  async findIdempotencyRecord(
    userId: string,
    key: string,
  ): Promise<{ requestHash: string; orderId: string } | null> {
    const { rows } = await sql<{ requestHash: string; orderId: string }>`
      select request_hash as "requestHash", order_id as "orderId"
        from idempotency_keys where user_id = ${userId}::uuid and key = ${key}
    `.execute(this.db);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<StoredOrder | null> {
    const { rows } = await sql<OrderRow>`
      select ${orderColumns} from orders o where o.id = ${id}::uuid
    `.execute(this.db);
    return rows[0] ? toStoredOrder(rows[0]) : null;
  }

  /**
   * Newest first, by (created_at, id) to follow the orders' indexes; `afterId` is the last
   * order of the previous page. `userId` undefined means every user's orders. `createdFrom` is
   * inclusive and `createdBefore` exclusive (ISO 8601 instants).
   */
  async list(options: {
    userId?: string;
    status?: OrderStatusName;
    createdFrom?: string;
    createdBefore?: string;
    afterId?: string;
    limit: number;
  }): Promise<StoredOrder[]> {
    const filters = [sql`true`];
    if (options.userId) filters.push(sql`o.user_id = ${options.userId}::uuid`);
    if (options.status) filters.push(sql`o.status = ${options.status}`);
    if (options.createdFrom) filters.push(sql`o.created_at >= ${options.createdFrom}::timestamptz`);
    if (options.createdBefore) filters.push(sql`o.created_at < ${options.createdBefore}::timestamptz`);
    if (options.afterId) {
      filters.push(
        sql`(o.created_at, o.id) < (select c.created_at, c.id from orders c where c.id = ${options.afterId}::uuid)`,
      );
    }
    const { rows } = await sql<OrderRow>`
      select ${orderColumns} from orders o
       where ${sql.join(filters, sql` and `)}
       order by o.created_at desc, o.id desc
       limit ${options.limit}
    `.execute(this.db);
    return rows.map(toStoredOrder);
  }
}
