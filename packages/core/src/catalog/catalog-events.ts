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

/** `product.upserted` for a product's current state (after any change, stock changes included). */
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
