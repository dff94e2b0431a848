import { sql } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Order as OrderDto,
  OrderStatusName,
  Payment as PaymentDto,
  PaymentMethod,
  ShippingAddress,
} from '@lapak/contracts';
import { ago, db, isoTimestamps, type Db } from '../db/database';
import type { CheckoutOrdersRow } from '../db/sql/sql-function-rows';
import { AppError } from '../errors/app-error';
import { paymentProviders, type Payee, type PaymentRecord } from '../payments/payment-provider';

/** What checkout needs to know of a product to name a bad line: its currency and live variants. */
export interface CheckoutProduct {
  id: string;
  currency: string;
  variantIds: string[];
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
  /** `variantId` null: the product's one variant. */
  lines: Array<{ productId: string; variantId?: string | null; quantity: number }>;
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
  key: IdempotencyRecord;
}

function toCheckoutInsert(checkout: NewCheckout, row: CheckoutOrdersRow | undefined): CheckoutInsert {
  if (!row?.ok) return { status: 'invalid' };
  if (!row.created_at || !row.updated_at || !row.items) return { status: 'key_exists' };
  return {
    status: 'created',
    order: {
      id: checkout.id,
      status: 'pending',
      failureReason: null,
      items: row.items,
      totalCents: row.total!,
      currency: row.currency!,
      shippingAddress: checkout.shippingAddress,
      payment: null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  };
}

/**
 * What one checkout statement did: stored the order, found the key taken, found a bad line, or
 * refused it over one of the shop's limits (the shopper's open orders, or a line's units: the
 * 0-based indexes of the lines over it).
 */
export type CheckoutInsert =
  | { status: 'created'; order: OrderDto }
  | { status: 'key_exists' }
  | { status: 'invalid' }
  | { status: 'over_limit'; limit: 'open_orders'; max: number }
  | { status: 'over_limit'; limit: 'units_per_line'; max: number; lines: number[] };

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

/**
 * An order's columns, its payment's and the payee's (for the payment's instructions), plus its
 * lines (in line order) as a JSON array, for one round trip.
 */
function selectOrders(kysely: Db) {
  return kysely
    .selectFrom('orders as o')
    .leftJoin('payments as pm', 'pm.order_id', 'o.id')
    .crossJoin('shop_settings as s')
    .select((eb) => [
      'o.id',
      'o.user_id',
      'o.status',
      'o.failure_reason',
      'o.total_cents',
      'o.currency',
      'o.shipping_address',
      'o.created_at',
      'o.updated_at',
      'pm.method as payment_method',
      'pm.status as payment_status',
      'pm.reference as payment_reference',
      'pm.amount_cents as payment_amount_cents',
      'pm.currency as payment_currency',
      'pm.due_at as payment_due_at',
      'pm.paid_at as payment_paid_at',
      's.shop_name',
      's.bank_name',
      's.bank_account_number',
      's.bank_account_holder',
      eb
        .selectFrom('order_lines as l')
        .select((eb) =>
          eb.fn
            .coalesce(
              eb.fn
                .jsonAgg(
                  jsonBuildObject({
                    productId: eb.ref('l.product_id'),
                    variantId: eb.ref('l.variant_id'),
                    optionValues: eb.ref('l.option_values'),
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

/** A payment as the API shows it, with its provider's instructions. */
export function toPaymentDto(payment: PaymentRecord, payee: Payee): PaymentDto {
  return {
    method: payment.method,
    status: payment.status,
    reference: payment.reference,
    amountCents: payment.amountCents,
    currency: payment.currency,
    dueAt: payment.dueAt?.toISOString() ?? null,
    paidAt: payment.paidAt?.toISOString() ?? null,
    instructions: paymentProviders[payment.method].instructions(payment, payee),
  };
}

function paymentOf(row: OrderRow): PaymentDto | null {
  if (row.payment_method === null) return null;
  const payment: PaymentRecord = {
    method: row.payment_method,
    status: row.payment_status!,
    reference: row.payment_reference!,
    amountCents: row.payment_amount_cents!,
    currency: row.payment_currency!,
    dueAt: row.payment_due_at,
    paidAt: row.payment_paid_at,
  };
  return toPaymentDto(payment, {
    shopName: row.shop_name,
    bankName: row.bank_name,
    bankAccountNumber: row.bank_account_number,
    bankAccountHolder: row.bank_account_holder,
  });
}

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
      shippingAddress: row.shipping_address,
      payment: paymentOf(row),
      ...isoTimestamps(row),
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
      .selectFrom('products as p')
      .select((eb) => [
        'p.id',
        'p.currency',
        eb.fn
          .coalesce(
            eb
              .selectFrom('product_variants as v')
              .select((eb) => eb.fn.agg<string[]>('array_agg', ['v.id']).as('ids'))
              .whereRef('v.product_id', '=', 'p.id')
              .where('v.deleted_at', 'is', null)
              .$asScalar(),
            eb.val<string[]>([]),
          )
          .as('variantIds'),
      ])
      .where('p.id', '=', (eb) => eb.fn.any(eb.val(ids)))
      .where('p.deleted_at', 'is', null)
      .where('p.status', '=', 'published')
      .execute();
  }

  /**
   * Stores checkouts: those within the shop's limits in one `checkout_orders` statement; the
   * others answered `over_limit` without a write.
   */
  async insertCheckouts(orders: NewCheckout[]): Promise<CheckoutInsert[]> {
    const refused = await this.overLimits(orders);
    const accepted = orders.filter((_, index) => !refused.has(index));
    const stored = accepted.length > 0 ? await this.insertWithinLimits(accepted) : [];
    const byCheckout = new Map(accepted.map((order, index) => [order, stored[index]!]));
    return orders.map((order, index) => refused.get(index) ?? byCheckout.get(order)!);
  }

  /**
   * The checkouts the shop's limits refuse, by index: a line over `max_units_per_line`, or a
   * shopper whose open orders (pending or awaiting payment), with those earlier in this batch,
   * reach `max_open_orders_per_user`. One statement for the batch. Concurrent batches of one
   * shopper can each pass it (the checkout rate limit bounds how many).
   */
  private async overLimits(orders: NewCheckout[]): Promise<Map<number, CheckoutInsert>> {
    const userIds = [...new Set(orders.map((order) => order.userId))];
    const { rows } = await sql<{ max_open: number; max_units: number; user_id: string | null; open: number }>`
      select s.max_open_orders_per_user as max_open, s.max_units_per_line as max_units, o.user_id,
             coalesce(o.open, 0)::int as open
        from shop_settings s
        left join (select user_id, count(*) as open from orders
                    where user_id = any(${userIds}::uuid[]) and status in ('pending', 'awaiting_payment')
                    group by user_id) o on true
    `.execute(this.db);
    const maxOpen = rows[0]!.max_open;
    const maxUnits = rows[0]!.max_units;
    const open = new Map(rows.filter((row) => row.user_id).map((row) => [row.user_id!, row.open]));
    const refused = new Map<number, CheckoutInsert>();
    orders.forEach((order, index) => {
      const lines = order.lines.flatMap((line, k) => (line.quantity > maxUnits ? [k] : []));
      if (lines.length > 0) {
        refused.set(index, { status: 'over_limit', limit: 'units_per_line', max: maxUnits, lines });
        return;
      }
      const count = open.get(order.userId) ?? 0;
      if (count >= maxOpen) {
        refused.set(index, { status: 'over_limit', limit: 'open_orders', max: maxOpen });
        return;
      }
      open.set(order.userId, count + 1);
    });
    return refused;
  }

  /**
   * Checkouts in ONE statement, so in one transaction and one round trip: the `checkout_orders`
   * function (db/sql/checkout-orders.sql) checks every checkout's lines against the catalog and
   * inserts, for those that pass, the idempotency records first, then the pending orders and
   * their lines with the products' sku, name and price of this moment, set-based for the whole
   * batch. Several checkouts share the statement, and so one commit, when the API is busy.
   */
  private async insertWithinLimits(orders: NewCheckout[]): Promise<CheckoutInsert[]> {
    const input = orders.map((order, index) => ({
      i: index,
      id: order.id,
      userId: order.userId,
      key: order.key.key,
      hash: order.key.requestHash,
      productIds: order.lines.map((line) => line.productId),
      variantIds: order.lines.map((line) => line.variantId ?? null),
      quantities: order.lines.map((line) => line.quantity),
      address: order.shippingAddress,
      method: order.paymentMethod,
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
    return orders.map((order, index) => toCheckoutInsert(order, byIndex.get(index)));
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

  /**
   * Orders counted by status and payment method (`none` for orders placed before payment was
   * asked for): those still open (pending, awaiting payment), or those created in the last
   * `hours`. Both read through an index, so their cost follows the orders in question, not the
   * whole table.
   */
  async countByStatusAndMethod(
    which: { open: true } | { createdWithinHours: number },
  ): Promise<Array<{ status: OrderStatusName; paymentMethod: PaymentMethod | 'none'; count: number }>> {
    let query = this.db
      .selectFrom('orders')
      .select((eb) => ['status', 'payment_method', eb.fn.countAll<string>().as('count')])
      .groupBy(['status', 'payment_method']);
    query =
      'open' in which
        ? query.where('status', 'in', ['pending', 'awaiting_payment'])
        : query.where('created_at', '>=', ago({ seconds: which.createdWithinHours * 3600 }));
    const rows = await query.execute();
    return rows.map((row) => ({
      status: row.status,
      paymentMethod: row.payment_method ?? 'none',
      count: Number(row.count),
    }));
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
