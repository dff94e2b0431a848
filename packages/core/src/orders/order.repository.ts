import { sql } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto, OrderStatusName } from '@lapak/contracts';
import { db, type Db } from '../db/database';
import type { CheckoutOrdersRow } from '../db/sql/sql-function-rows';
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

function toCheckoutInsert(orderId: string, row: CheckoutOrdersRow | undefined): CheckoutInsert {
  if (!row?.ok) return { status: 'invalid' };
  if (!row.created_at || !row.updated_at || !row.items) return { status: 'key_exists' };
  return {
    status: 'created',
    order: {
      id: orderId,
      status: 'pending',
      failureReason: null,
      items: row.items,
      totalCents: row.total!,
      currency: row.currency!,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
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

/** A foreign key to users failed: the token names a user that is not there (any more). */
function isMissingUser(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23503' && /_user_id_fkey$/.test(constraint ?? '');
}

/** An order's columns plus its lines (in line order) as a JSON array, for one round trip. */
function selectOrders(kysely: Db) {
  return kysely.selectFrom('orders as o').select((eb) => [
    'o.id',
    'o.user_id',
    'o.status',
    'o.failure_reason',
    'o.total_cents',
    'o.currency',
    'o.created_at',
    'o.updated_at',
    eb
      .selectFrom('order_lines as l')
      .select((eb) =>
        eb.fn
          .coalesce(
            eb.fn
              .jsonAgg(
                jsonBuildObject({
                  productId: eb.ref('l.product_id'),
                  sku: eb.ref('l.sku'),
                  name: eb.ref('l.name'),
                  unitPriceCents: eb.ref('l.unit_price_cents'),
                  quantity: eb.ref('l.quantity'),
                }),
              )
              .orderBy('l.line_no'),
            eb.cast<OrderDto['items']>(sql.lit('[]'), 'json'),
          )
          .as('items'),
      )
      .whereRef('l.order_id', '=', 'o.id')
      .$asScalar()
      .as('items'),
  ]);
}

type OrderRow = Awaited<ReturnType<ReturnType<typeof selectOrders>['executeTakeFirstOrThrow']>>;

function toStoredOrder(row: OrderRow): StoredOrder {
  return {
    userId: row.user_id,
    order: {
      id: row.id,
      status: row.status,
      failureReason: row.failure_reason,
      items: row.items ?? [],
      totalCents: row.total_cents,
      currency: row.currency,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  };
}

/** Orders, their lines and idempotency records (the checkout path avoids the ORM's unit of work). */
export class OrderRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return db(this.em);
  }

  /** Products that can be bought: published and not deleted. Unknown ids are simply missing. */
  async findPurchasable(ids: string[]): Promise<CheckoutProduct[]> {
    return this.db
      .selectFrom('products')
      .select(['id', 'sku', 'name', 'price_cents as priceCents', 'currency'])
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
      .where('deleted_at', 'is', null)
      .where('status', '=', 'published')
      .execute();
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
    const { rows } = await sql<CheckoutOrdersRow>`
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
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash as requestHash', 'order_id as orderId'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ?? null;
  }

  async findById(id: string): Promise<StoredOrder | null> {
    const row = await selectOrders(this.db).where('o.id', '=', id).executeTakeFirst();
    return row ? toStoredOrder(row) : null;
  }

  /**
   * Newest first, by (created_at, id) to follow the orders' indexes; `afterId` is the last
   * order of the previous page. `userId` undefined means every user's orders. `createdFrom` is
   * inclusive and `createdBefore` exclusive (ISO 8601 instants, compared as PostgreSQL reads them).
   */
  async list(options: {
    userId?: string;
    status?: OrderStatusName;
    createdFrom?: string;
    createdBefore?: string;
    afterId?: string;
    limit: number;
  }): Promise<StoredOrder[]> {
    const { userId, status, createdFrom, createdBefore, afterId } = options;
    const rows = await selectOrders(this.db)
      .$if(Boolean(userId), (qb) => qb.where('o.user_id', '=', userId!))
      .$if(Boolean(status), (qb) => qb.where('o.status', '=', status!))
      .$if(Boolean(createdFrom), (qb) =>
        qb.where((eb) => eb('o.created_at', '>=', eb.cast<Date>(eb.val(createdFrom!), 'timestamptz'))),
      )
      .$if(Boolean(createdBefore), (qb) =>
        qb.where((eb) => eb('o.created_at', '<', eb.cast<Date>(eb.val(createdBefore!), 'timestamptz'))),
      )
      .$if(Boolean(afterId), (qb) =>
        qb.where((eb) =>
          eb(
            eb.refTuple('o.created_at', 'o.id'),
            '<',
            eb
              .selectFrom('orders as c')
              .select(['c.created_at', 'c.id'])
              .where('c.id', '=', afterId!)
              .$asTuple('created_at', 'id'),
          ),
        ),
      )
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map(toStoredOrder);
  }
}
