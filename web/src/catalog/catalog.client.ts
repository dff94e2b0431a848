import { aggregate, createDirectus, readItems, rest } from '@directus/sdk';
import { config } from '../config';
import type {
  CatalogCartProduct,
  CatalogCategory,
  CatalogProduct,
  CatalogProductSummary,
  ProductPage,
  ProductQuery,
} from './catalog.types';
import { productSorts } from './catalog.types';

/** Why the catalog could not be read, in words for the shopper. */
export class CatalogError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'CatalogError';
  }
}

const fileFields = ['id', 'title', 'description', 'width', 'height'];
const imageFields = fileFields.map((field) => `images.directus_files_id.${field}`);
const variantFields = ['id', 'sku', 'option_values', 'price_cents', 'stock'].map(
  (field) => `variants.${field}`,
);
const summaryFields = [
  'id',
  'name',
  'slug',
  'price_cents',
  'currency',
  'stock',
  'category',
  'options',
  ...imageFields,
];
const productFields = [
  ...summaryFields.filter((field) => field !== 'category'),
  'sku',
  'description',
  'highlights',
  'seo_title',
  'seo_description',
  'category.id',
  'category.name',
  'category.slug',
  ...variantFields,
  ...fileFields.map((field) => `variants.image.${field}`),
];
const cartFields = [...summaryFields, 'sku', ...variantFields, 'variants.image.id'];
/** A product's variants in the admin's order; the API allows at most 100. */
const variantsDeep = { _sort: ['sort', 'id'], _limit: 100 };
/** Only published products reach the shop; the public policy says so too. */
const published = { status: { _eq: 'published' } };

type Filter = Record<string, unknown>;

/**
 * The catalog, read from Directus with the public role (no token): published products with
 * their editors' content, and categories.
 */
export class CatalogClient {
  private readonly directus;

  constructor(baseUrl: string = config.directusUrl, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.directus = createDirectus(baseUrl, { globals: { fetch: fetchImpl } }).with(rest());
  }

  async categories(): Promise<CatalogCategory[]> {
    return this.read(
      readItems('categories', { fields: ['id', 'name', 'slug', 'parent'], sort: ['name'], limit: -1 }),
    );
  }

  /** One page of products with the total that match, for the grid and its pager. */
  async products(query: ProductQuery): Promise<ProductPage> {
    const filter: Filter = { ...published };
    if (query.categoryIds?.length) filter.category = { _in: query.categoryIds };
    const search = query.q?.trim() || undefined;
    const [items, counted] = await Promise.all([
      this.read<CatalogProductSummary[]>(
        readItems('products', {
          fields: summaryFields,
          filter,
          search,
          sort: [productSorts[query.sort].sort, 'id'],
          limit: query.pageSize,
          page: query.page,
          deep: { images: { _sort: ['sort', 'id'], _limit: 1 } },
        }),
      ),
      this.read<{ count: number | string | { id: number | string } }[]>(
        aggregate('products', { aggregate: { count: '*' }, query: { filter, search } }),
      ),
    ]);
    return { items, total: countOf(counted[0]?.count) };
  }

  /** The published product with this slug, or null. */
  async productBySlug(slug: string): Promise<CatalogProduct | null> {
    const items = await this.read<CatalogProduct[]>(
      readItems('products', {
        fields: productFields,
        filter: { ...published, slug: { _eq: slug } },
        limit: 1,
        deep: { images: { _sort: ['sort', 'id'] }, variants: variantsDeep },
      }),
    );
    return items[0] ?? null;
  }

  /**
   * The current price and stock of the products in a cart, and of their variants; missing ones
   * are no longer for sale.
   */
  async productsById(ids: readonly string[]): Promise<CatalogCartProduct[]> {
    if (ids.length === 0) return [];
    return this.read(
      readItems('products', {
        fields: cartFields,
        filter: { ...published, id: { _in: [...ids] } },
        limit: ids.length,
        deep: { images: { _sort: ['sort', 'id'], _limit: 1 }, variants: variantsDeep },
      }),
    );
  }

  private async read<T>(command: Parameters<typeof this.directus.request>[0]): Promise<T> {
    try {
      return (await this.directus.request(command)) as T;
    } catch (error) {
      throw toCatalogError(error);
    }
  }
}

function countOf(value: number | string | { id: number | string } | undefined): number {
  if (value === undefined) return 0;
  const raw = typeof value === 'object' ? value.id : value;
  const count = Number(raw);
  return Number.isFinite(count) ? count : 0;
}

export function toCatalogError(error: unknown): CatalogError {
  if (error instanceof CatalogError) return error;
  if (error instanceof TypeError) {
    return new CatalogError(
      'The catalog cannot be reached right now. Check your connection and try again.',
      error,
    );
  }
  const status = (error as { response?: Response }).response?.status;
  if (status === 503 || status === 502 || status === 504) {
    return new CatalogError('The catalog is busy right now. Please try again in a moment.', error);
  }
  return new CatalogError('The catalog could not be loaded. Please try again.', error);
}

export const catalog = new CatalogClient();
