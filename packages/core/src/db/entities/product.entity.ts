import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { productStatuses, type ProductOption } from '@lapak/contracts';
import { foreignKey } from './foreign-key';
import { Category } from './category.entity';
import { catalogRowProperties } from './row-properties';

/** A catalog product; soft-deleted, and its sku and slug are unique among live products. */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    ...catalogRowProperties(),
    sku: p.text(),
    name: p.text(),
    slug: p.text(),
    priceCents: p.integer(),
    currency: p.string().columnType('char(3)'),
    stock: p.integer(),
    status: p.enum(productStatuses).default('draft'),
    categoryId: foreignKey(Category, 'products', 'category_id').nullable().deleteRule('no action'),
    options: p.json<ProductOption[]>().defaultRaw(`'[]'`),
  },
  checks: [
    { name: 'products_price_cents_check', expression: 'price_cents >= 0' },
    { name: 'products_currency_check', expression: `currency ~ '^[A-Z]{3}$'` },
    { name: 'products_stock_check', expression: 'stock >= 0' },
    { name: 'products_version_check', expression: 'version >= 1' },
  ],
  uniques: [
    { name: 'products_sku_key', properties: ['sku'], where: 'deleted_at is null' },
    { name: 'products_slug_key', properties: ['slug'], where: 'deleted_at is null' },
  ],
  indexes: [
    { name: 'products_category_idx', properties: ['categoryId'], where: 'deleted_at is null' },
    { name: 'products_status_idx', properties: ['status', 'id'], where: 'deleted_at is null' },
    {
      name: 'products_search_idx',
      expression: `create index products_search_idx on products using gin ((name || ' ' || sku) gin_trgm_ops)`,
    },
  ],
});

export type Product = InferEntity<typeof Product>;

/**
 * A variant of a product: its own sku (unique among live variants), option values (unique within
 * the product), price and stock. `version` is the product's version when the variant last
 * changed. A product without options has exactly one, with no option values.
 */
export const ProductVariant = defineEntity({
  name: 'ProductVariant',
  tableName: 'product_variants',
  properties: {
    ...catalogRowProperties(),
    productId: foreignKey(Product, 'product_variants', 'product_id').deleteRule('no action'),
    sku: p.text(),
    optionValues: p.json<Record<string, string>>().defaultRaw(`'{}'`),
    priceCents: p.integer(),
    stock: p.integer(),
    sort: p.integer().default(0),
  },
  checks: [
    { name: 'product_variants_price_cents_check', expression: 'price_cents >= 0' },
    { name: 'product_variants_stock_check', expression: 'stock >= 0' },
    { name: 'product_variants_version_check', expression: 'version >= 1' },
  ],
  uniques: [
    { name: 'product_variants_sku_key', properties: ['sku'], where: 'deleted_at is null' },
    {
      name: 'product_variants_values_key',
      properties: ['productId', 'optionValues'],
      where: 'deleted_at is null',
    },
  ],
});

export type ProductVariant = InferEntity<typeof ProductVariant>;
