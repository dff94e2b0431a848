/** One product of the benchmark catalog, as each system is loaded with it. */
export interface CatalogProduct {
  sku: string;
  name: string;
  slug: string;
  priceCents: number;
  stock: number;
}

/** A line of a checkout: the catalog product at `index`, `quantity` units. */
export interface CartLine {
  index: number;
  quantity: number;
}

/**
 * The checkout benchmark's catalog (`bench/checkout.bench.ts`: the same SKUs, names, slugs,
 * prices and stock), plus one scarce product at the end, `hotUnits` in stock, for the
 * hot-product race.
 */
export function benchCatalog(products: number, hotUnits: number): CatalogProduct[] {
  const catalog = Array.from({ length: products }, (_, i) => ({
    sku: `BENCH-${i}`,
    name: `Bench product ${i}`,
    slug: `bench-product-${i}`,
    priceCents: 100 + ((i * 37) % 10_000),
    stock: 1_000_000,
  }));
  catalog.push({
    sku: 'BENCH-HOT',
    name: 'Bench hot product',
    slug: 'bench-hot',
    priceCents: 5_000,
    stock: hotUnits,
  });
  return catalog;
}

/** The n-th checkout's lines, as the checkout benchmark makes them: 1–3 lines, 1, 2, 3 units. */
export function cartOf(n: number, products: number): CartLine[] {
  const lines = 1 + (n % 3);
  const start = (n * 7919) % (products - lines);
  return Array.from({ length: lines }, (_, i) => ({ index: start + i, quantity: 1 + i }));
}
