import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import {
  orderFailureReasons,
  orderStatuses,
  paymentMethods,
  paymentStatuses,
  type ShippingAddress,
} from '@lapak/contracts';
import { foreignKey } from './foreign-key';
import { Product, ProductVariant } from './product.entity';
import { User } from './user.entity';
import { rowProperties } from './row-properties';
import { nowOnCreate, timestamps } from './timestamps';

/** An order: pending until the worker reserves its stock (or fails it), then paid or expired. */
export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    ...rowProperties(),
    userId: foreignKey(User, 'orders', 'user_id').deleteRule('no action'),
    status: p.enum(orderStatuses).default('pending'),
    failureReason: p.enum(orderFailureReasons).nullable(),
    totalCents: p.bigint('number'),
    currency: p.string().columnType('char(3)'),
    shippingAddress: p.json<ShippingAddress>().nullable(),
    paymentMethod: p.enum(paymentMethods).nullable(),
  },
  checks: [{ name: 'orders_total_cents_check', expression: 'total_cents >= 0' }],
  indexes: [
    // As SQL: MikroORM 7.2.1 reads this index's last column back as ascending, so a column list
    // would never compare equal to the database (the statement is compared by name).
    {
      name: 'orders_user_idx',
      expression: 'create index orders_user_idx on orders (user_id, created_at desc, id desc)',
    },
    { name: 'orders_status_idx', properties: ['status', 'createdAt'] },
    // A shopper's open orders, counted at checkout against the shop's cap.
    {
      name: 'orders_open_user_idx',
      properties: ['userId'],
      where: "status in ('pending', 'awaiting_payment')",
    },
    {
      name: 'orders_created_idx',
      columns: [
        { name: 'created_at', sort: 'desc' },
        { name: 'id', sort: 'desc' },
      ],
    },
  ],
});

export type Order = InferEntity<typeof Order>;

/**
 * An order's payment, made when the worker reserves its stock: what is owed, by when, and the
 * reference the shopper quotes. One per order.
 */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    orderId: foreignKey(Order, 'payments', 'order_id')
      .primary()
      .updateRule('no action')
      .deleteRule('cascade'),
    method: p.enum(paymentMethods),
    status: p.enum(paymentStatuses),
    reference: p.text().unique('payments_reference_key'),
    amountCents: p.bigint('number'),
    currency: p.string().columnType('char(3)'),
    dueAt: p.datetime().nullable(),
    paidAt: p.datetime().nullable(),
    ...timestamps(),
  },
  checks: [{ name: 'payments_amount_cents_check', expression: 'amount_cents >= 0' }],
  // The expiry sweep's lookup: unpaid transfers by deadline.
  indexes: [{ name: 'payments_due_idx', properties: ['dueAt'], where: "status = 'pending'" }],
});

export type Payment = InferEntity<typeof Payment>;

/** A line of an order: the variant's sku, values and price and the product's name when placed. */
export const OrderLine = defineEntity({
  name: 'OrderLine',
  tableName: 'order_lines',
  properties: {
    orderId: foreignKey(Order, 'order_lines', 'order_id').primary().deleteRule('cascade'),
    lineNo: p.integer().primary(),
    productId: foreignKey(Product, 'order_lines', 'product_id').deleteRule('no action'),
    variantId: foreignKey(ProductVariant, 'order_lines', 'variant_id').deleteRule('no action'),
    optionValues: p.json<Record<string, string>>().defaultRaw(`'{}'`),
    sku: p.text(),
    name: p.text(),
    unitPriceCents: p.integer(),
    quantity: p.integer(),
  },
  primaryKeys: ['orderId', 'lineNo'],
  checks: [
    { name: 'order_lines_unit_price_cents_check', expression: 'unit_price_cents >= 0' },
    { name: 'order_lines_quantity_check', expression: '(quantity >= 1) and (quantity <= 1000)' },
  ],
});

export type OrderLine = InferEntity<typeof OrderLine>;

/** A checkout's idempotency key: one order per user and key. */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    userId: foreignKey(User, 'idempotency_keys', 'user_id').primary().deleteRule('no action'),
    key: p.text().primary(),
    requestHash: p.text(),
    orderId: foreignKey(Order, 'idempotency_keys', 'order_id').deleteRule('cascade'),
    createdAt: nowOnCreate(),
  },
  primaryKeys: ['userId', 'key'],
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKey>;
