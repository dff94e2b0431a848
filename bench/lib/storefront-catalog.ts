import { register } from 'node:module';
import type {
  CatalogCategory,
  CatalogProduct,
  ProductPage,
  ProductQuery,
} from '../../web/src/catalog/catalog.types';

/** The reads of the storefront's catalog client (web/src/catalog/catalog.client.ts). */
export interface StorefrontCatalog {
  categories(): Promise<CatalogCategory[]>;
  products(query: ProductQuery): Promise<ProductPage>;
  productBySlug(slug: string): Promise<CatalogProduct | null>;
}

type CatalogClientClass = new (baseUrl: string, fetchImpl: typeof fetch) => StorefrontCatalog;

/**
 * web/src/config.ts reads Vite's `import.meta.env`, which only Vite defines: this load hook gives
 * that module an empty one, so the storefront's own client loads in Node (it is then given the
 * Directus URL, and the build's settings play no part).
 */
const viteEnvHook = `export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.endsWith('/web/src/config.ts')) return loaded;
  return { ...loaded, source: 'import.meta.env ??= {};\\n' + String(loaded.source) };
}`;

let clientClass: Promise<CatalogClientClass> | undefined;

function loadClientClass(): Promise<CatalogClientClass> {
  clientClass ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(viteEnvHook)}`);
    // A computed specifier: the storefront is type-checked by its own tsconfig (Vite's types, the DOM).
    const path = new URL('../../web/src/catalog/catalog.client.ts', import.meta.url).href;
    const module = (await import(path)) as { CatalogClient: CatalogClientClass };
    return module.CatalogClient;
  })();
  return clientClass;
}

/** The storefront's catalog client reading `baseUrl` (Directus) as the public role. */
export async function storefrontCatalog(
  baseUrl: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<StorefrontCatalog> {
  const CatalogClient = await loadClientClass();
  return new CatalogClient(baseUrl, fetchImpl);
}

/**
 * The requests (path and query) the storefront's client sends for `read`, in the order it sends
 * them, without sending any: every answer is an empty one.
 */
export async function requestsOf(read: (catalog: StorefrontCatalog) => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const recorder = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    sent.push(`${url.pathname}${url.search}`);
    const data = url.searchParams.has('aggregate') ? [{ count: 0 }] : [];
    return new Response(JSON.stringify({ data }), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  await read(await storefrontCatalog('http://storefront.invalid', recorder));
  return sent;
}
