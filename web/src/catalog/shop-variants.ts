import type { CatalogImage, CatalogOption, CatalogVariant } from './catalog.types';

/** A variant as the shop uses it: what a shopper chooses, adds to the cart and orders. */
export interface ShopVariant {
  /**
   * The API's variant id; null for the one implicit variant of a product Directus holds no
   * variants for (synced before variants existed), which the checkout orders by product alone.
   */
  id: string | null;
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number;
  stock: number;
  image: CatalogImage | null;
}

export interface ShopChoices {
  options: CatalogOption[];
  variants: ShopVariant[];
}

interface ProductWithVariants {
  sku: string;
  price_cents: number;
  stock: number;
  options?: CatalogOption[] | null;
  variants?: (Omit<CatalogVariant, 'image'> & { image?: CatalogImage | null })[] | null;
}

/**
 * A product's options and variants. A product without variant rows in Directus (a v1 sync, or
 * none written yet) is one implicit variant with the product's own sku, price and stock, and
 * offers no options: its variants decide what can be chosen, so options without them are not
 * shown.
 */
export function shopChoices(product: ProductWithVariants): ShopChoices {
  const rows = product.variants ?? [];
  if (rows.length === 0) {
    return {
      options: [],
      variants: [
        {
          id: null,
          sku: product.sku,
          optionValues: {},
          priceCents: product.price_cents,
          stock: product.stock,
          image: null,
        },
      ],
    };
  }
  return {
    options: (product.options ?? []).filter((option) => option.values.length > 0),
    variants: rows.map((row) => ({
      id: row.id,
      sku: row.sku,
      optionValues: row.option_values ?? {},
      priceCents: row.price_cents,
      stock: row.stock,
      image: row.image ?? null,
    })),
  };
}

/** The option values of a line or variant in words: "Weight: 500 g, Grind: Whole bean". */
export const describeOptionValues = (values: Readonly<Record<string, string>> | null | undefined): string =>
  Object.entries(values ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
