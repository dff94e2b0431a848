import { productCreateSchema } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { demoPriceAndStock, demoProducts, hasVariants } from './catalog';

describe('the demo catalog', () => {
  it('is what the API takes: each product a valid create body, every sku once', () => {
    for (const product of demoProducts) {
      const body = { sku: product.sku, name: product.name, currency: 'IDR', ...demoPriceAndStock(product) };
      const parsed = productCreateSchema.safeParse(body);
      expect(parsed.error?.issues, product.sku).toBeUndefined();
    }
    const skus = demoProducts.flatMap((product) => [
      product.sku,
      ...(hasVariants(product) ? product.variants.map((variant) => variant.sku) : []),
      ...(product.replaces ?? []),
    ]);
    expect(new Set(skus).size).toBe(skus.length);
  });

  it('sells coffee by weight and batik by length, with a combination sold out and one not made', () => {
    const byVariants = demoProducts.filter(hasVariants);
    const options = byVariants.flatMap((product) => product.options.map((option) => option.name));
    expect(options).toEqual(expect.arrayContaining(['Weight', 'Length']));
    const variants = byVariants.flatMap((product) => product.variants);
    expect(variants.some((variant) => variant.stock === 0)).toBe(true);
    const combinations = byVariants.map((product) =>
      product.options.reduce((count, option) => count * option.values.length, 1),
    );
    expect(byVariants.some((product, index) => product.variants.length < combinations[index]!)).toBe(true);
    expect(demoProducts.filter((product) => !hasVariants(product)).length).toBeGreaterThan(10);
  });
});
