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

/**
 * The body of a create request for a published product sold by one option: a variant of each
 * value in `variants`, in that order, with its price and stock and the sku `<product sku>-<n>`.
 * The product's sku is new to every call unless `overrides` name one.
 */
export const optionProductBody = (
  option: string,
  variants: { value: string; priceCents: number; stock: number }[],
  overrides: Partial<ProductCreate> = {},
) => {
  const sku = overrides.sku ?? `KOPI-${randomUUID().slice(0, 8)}`;
  return {
    sku,
    name: 'Kopi Gayo',
    currency: 'IDR',
    status: 'published' as const,
    options: [{ name: option, values: variants.map((variant) => variant.value) }],
    variants: variants.map(({ value, ...rest }, i) => ({
      sku: `${sku}-${i + 1}`,
      optionValues: { [option]: value },
      ...rest,
    })),
    ...overrides,
  };
};
