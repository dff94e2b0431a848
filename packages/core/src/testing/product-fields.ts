import { randomUUID } from 'node:crypto';
import type { ProductCreate } from '@lapak/contracts';
import type { ProductFields } from '../catalog/product.repository';

/**
 * A published product's writable fields, its sku and slug made unique by `n`: the one set of
 * sample values behind the test rows (makeProduct) and the sync's pure tests.
 */
export const sampleProductFields = (n: string): ProductFields => ({
  sku: `SKU-${n}`,
  name: `Product ${n}`,
  slug: `product-${n}`,
  priceCents: 1999,
  currency: 'EUR',
  stock: 10,
  status: 'published',
  categoryId: null,
});

/**
 * The body of a product create request (POST /api/v1/products) with a sku no other call gets.
 * It names no status, so the API makes a draft unless `overrides` say otherwise.
 */
export const productCreateBody = (overrides: Partial<ProductCreate> = {}) => ({
  sku: `KOPI-${randomUUID().slice(0, 8)}`,
  name: 'Kopi Gayo',
  priceCents: 4500,
  currency: 'IDR',
  stock: 12,
  ...overrides,
});
