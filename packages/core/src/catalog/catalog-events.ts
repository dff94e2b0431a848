import type { NewCatalogEvent } from '../outbox/outbox.repository';

/** The API-owned fields of a product, as they travel in catalog events (camelCase). */
export interface ProductEventFields {
  id: string;
  sku: string;
  name: string;
  slug: string;
  priceCents: number;
  currency: string;
  stock: number;
  status: 'draft' | 'published' | 'archived';
  categoryId: string | null;
  version: number;
}

/**
 * `product.upserted` built from fields in memory, for products written without being read back
 * (the sync benchmark's bulk catalog). Every change the system makes appends the event from the
 * changed row instead (`OutboxRepository.appendProductsUpserted`, built by
 * db/sql/product-upserted-event.sql); order-processing.int.test.ts keeps the two the same.
 */
export function productUpserted(product: ProductEventFields): NewCatalogEvent {
  const { id, version, ...data } = product;
  return { type: 'product.upserted', aggregate: { type: 'product', id, version }, data };
}

/** `product.deleted` after a soft delete; the version is the one the delete produced. */
export function productDeleted(product: { id: string; version: number }): NewCatalogEvent {
  return {
    type: 'product.deleted',
    aggregate: { type: 'product', id: product.id, version: product.version },
    data: {},
  };
}

/** The API-owned fields of a category, as they travel in catalog events. */
export interface CategoryEventFields {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
  version: number;
}

/** `category.upserted` for a category's current state. */
export function categoryUpserted(category: CategoryEventFields): NewCatalogEvent {
  const { id, version, name, slug, parentId } = category;
  return {
    type: 'category.upserted',
    aggregate: { type: 'category', id, version },
    data: { name, slug, parentId },
  };
}

/** `category.deleted` after a soft delete; the version is the one the delete produced. */
export function categoryDeleted(category: { id: string; version: number }): NewCatalogEvent {
  return {
    type: 'category.deleted',
    aggregate: { type: 'category', id: category.id, version: category.version },
    data: {},
  };
}
