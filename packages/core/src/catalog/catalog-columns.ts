import type { Selectable } from 'kysely';
import type { Database } from '../db/database';
import type { CategoryEventFields, ProductEventFields } from './catalog-events';

/**
 * The columns of a product's and a category's API-owned fields and their camelCase mapping:
 * the API's reads and the catalog sync's read the same fields, each adding its own timestamps.
 */
export const productFieldColumns = [
  'id',
  'sku',
  'name',
  'slug',
  'price_cents',
  'currency',
  'stock',
  'status',
  'category_id',
  'version',
] as const;

export const categoryFieldColumns = ['id', 'name', 'slug', 'parent_id', 'version'] as const;

type ProductFieldRow = Pick<Selectable<Database['products']>, (typeof productFieldColumns)[number]>;
type CategoryFieldRow = Pick<Selectable<Database['categories']>, (typeof categoryFieldColumns)[number]>;

export const productFields = (row: ProductFieldRow): ProductEventFields => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  slug: row.slug,
  priceCents: row.price_cents,
  currency: row.currency,
  stock: row.stock,
  status: row.status,
  categoryId: row.category_id,
  version: row.version,
});

export const categoryFields = (row: CategoryFieldRow): CategoryEventFields => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  parentId: row.parent_id,
  version: row.version,
});
