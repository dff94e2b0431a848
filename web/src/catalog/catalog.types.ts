/**
 * The catalog as the public role reads it from Directus (docs/sync.md and packages/contracts/src/directus.ts): the API-owned
 * fields the sync writes, in Directus's snake_case, and the editor-owned fields.
 */
export interface CatalogImage {
  id: string;
  title: string | null;
  description: string | null;
  width: number | null;
  height: number | null;
}

export interface CatalogCategory {
  id: string;
  name: string;
  slug: string;
  parent: string | null;
}

export interface CatalogProductSummary {
  id: string;
  name: string;
  slug: string;
  price_cents: number;
  currency: string;
  stock: number;
  category: string | null;
  /** Set when the shopper chooses a variant on the product page; the price is then the lowest. */
  options?: CatalogOption[] | null;
  /** The first image only, for cards. */
  images: { directus_files_id: CatalogImage | null }[];
}

/** A product's option as the sync writes it (`products.options`): its values in shop order. */
export interface CatalogOption {
  name: string;
  values: string[];
}

/**
 * A row of `product_variants` (written by catalog-sync v2 and later; none for a product synced
 * by v1). `image` is the editors' picture of this variant, if they chose one.
 */
export interface CatalogVariant {
  id: string;
  sku: string;
  option_values: Record<string, string> | null;
  price_cents: number;
  stock: number;
  image: CatalogImage | null;
}

/** What the cart reads of a product to bring its lines up to date. */
export interface CatalogCartProduct extends CatalogProductSummary {
  sku: string;
  variants:
    | (Pick<CatalogVariant, 'id' | 'sku' | 'option_values' | 'price_cents' | 'stock'> & {
        image: Pick<CatalogImage, 'id'> | null;
      })[]
    | null;
}

export interface CatalogProduct extends Omit<CatalogProductSummary, 'category'> {
  sku: string;
  /** Null or empty for a product without options. */
  options: CatalogOption[] | null;
  /** In the order the admin gave them; empty until a v2 sync has written them. */
  variants: CatalogVariant[] | null;
  category: Pick<CatalogCategory, 'id' | 'name' | 'slug'> | null;
  /** Editors' rich text (HTML); sanitise before showing. */
  description: string | null;
  highlights: string[] | null;
  seo_title: string | null;
  seo_description: string | null;
}

/** The Directus schema the SDK is typed with: the collections the public role can read. */
export interface CatalogSchema {
  products: CatalogProduct[];
  product_variants: CatalogVariant[];
  categories: CatalogCategory[];
}

export const productSorts = {
  newest: { label: 'Newest', sort: '-id' },
  name: { label: 'Name: A to Z', sort: 'name' },
  'price-asc': { label: 'Price: low to high', sort: 'price_cents' },
  'price-desc': { label: 'Price: high to low', sort: '-price_cents' },
} as const;

export type ProductSort = keyof typeof productSorts;

export const isProductSort = (value: unknown): value is ProductSort =>
  typeof value === 'string' && Object.hasOwn(productSorts, value);

export interface ProductQuery {
  q?: string;
  /** Products of these categories (a category and its subcategories). */
  categoryIds?: string[];
  sort: ProductSort;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface ProductPage {
  items: CatalogProductSummary[];
  total: number;
}
