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
