import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.uuid().primary(),
    sku: p.text(),
    name: p.text(),
    slug: p.text(),
    priceCents: p.integer(),
    currency: p.string().length(3),
    stock: p.integer(),
    status: p.enum(['draft', 'published', 'archived'] as const),
    categoryId: p.uuid().nullable(),
    version: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

export type Product = InferEntity<typeof Product>;
