import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    status: p.enum(['pending', 'confirmed', 'failed', 'cancelled'] as const),
    failureReason: p.text().nullable(),
    totalCents: p.bigint('number'),
    currency: p.string().length(3),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type Order = InferEntity<typeof Order>;

export const OrderLine = defineEntity({
  name: 'OrderLine',
  tableName: 'order_lines',
  properties: {
    orderId: p.uuid().primary(),
    lineNo: p.integer().primary(),
    productId: p.uuid(),
    sku: p.text(),
    name: p.text(),
    unitPriceCents: p.integer(),
    quantity: p.integer(),
  },
  primaryKeys: ['orderId', 'lineNo'],
});

export type OrderLine = InferEntity<typeof OrderLine>;

export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    userId: p.uuid().primary(),
    key: p.text().primary(),
    requestHash: p.text(),
    orderId: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  primaryKeys: ['userId', 'key'],
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKey>;
