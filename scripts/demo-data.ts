/**
 * Loads the demo shop into a running system, idempotently:
 * - through the API (so that everything syncs to Directus like an admin's own edits): the
 *   categories and products of demo-data/catalog.ts (coffee by weight and batik by length with
 *   their variants among them), an admin and a shopper login; demo products a newer one
 *   replaces are archived;
 * - through Directus, once the sync has brought each product there: a content editor login, and
 *   editor content (description, highlights, SEO fields, a picture made here) for products whose
 *   editor fields are still empty, and a picture of their own for some variants. An editor's own
 *   changes are never overwritten.
 */
import type { Category, Product } from '@lapak/contracts';
import { AdminAccountService, createOrm } from '@lapak/core';
import { ids } from '../directus/src/fields';
import { demoCategories, demoPriceAndStock, demoProducts, demoUsers, hasVariants } from './demo-data/catalog';
import { productImage } from './demo-data/images';
import type { RunSettings } from './start/settings';

export interface DemoLogins {
  admin: { email: string; password: string };
  shopper: { email: string; password: string };
  editor: { email: string; password: string } | null;
  /** Products that did not reach Directus in time (no editor content for them this run). */
  notSynced: number;
}

class Http {
  constructor(
    private readonly base: string,
    private readonly token?: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok && !okStatuses.includes(response.status)) {
      throw new Error(`${method} ${this.base}${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Every item of a cursor-paged API list. */
async function listAll<T>(api: Http, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await api.call('GET', `${path}${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The admin user, made in the database (the API has no way to create the first admin). */
async function ensureAdmin(settings: RunSettings) {
  const orm = await createOrm({ databaseUrl: settings.databaseUrls.app, poolMax: 1 });
  try {
    await new AdminAccountService(orm.em.fork()).createIfMissing({
      email: demoUsers.admin.email,
      name: demoUsers.admin.name,
      password: demoUsers.admin.password,
    });
  } finally {
    await orm.close();
  }
}

async function ensureShopper(api: Http) {
  const { email, password, name } = demoUsers.shopper;
  await api.call('POST', '/api/v1/auth/register', { email, password, name }, [409]);
}

async function ensureCatalog(api: Http): Promise<Map<string, Product>> {
  const categories = new Map((await listAll<Category>(api, '/api/v1/categories')).map((c) => [c.slug, c]));
  for (const category of demoCategories) {
    if (categories.has(category.slug)) continue;
    const created = await api.call<Category>('POST', '/api/v1/categories', {
      name: category.name,
      slug: category.slug,
    });
    categories.set(created.slug, created);
  }
  const products = new Map(
    (await listAll<Product>(api, '/api/v1/products')).map((product) => [product.sku, product]),
  );
  for (const product of demoProducts) {
    if (products.has(product.sku)) continue;
    const created = await api.call<Product>('POST', '/api/v1/products', {
      sku: product.sku,
      name: product.name,
      currency: 'IDR',
      status: product.status ?? 'published',
      categoryId: categories.get(product.category)?.id,
      ...demoPriceAndStock(product),
    });
    products.set(created.sku, created);
  }
  for (const sku of demoProducts.flatMap((product) => product.replaces ?? [])) {
    const replaced = products.get(sku);
    if (replaced && replaced.status !== 'archived') {
      products.set(
        sku,
        await api.call<Product>('PATCH', `/api/v1/products/${replaced.id}`, { status: 'archived' }),
      );
    }
  }
  return products;
}

async function ensureEditor(directus: Http) {
  const { email, password, name } = demoUsers.editor;
  const found = await directus.call<{ data: unknown[] }>(
    'GET',
    `/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=id`,
  );
  if (found.data.length) return;
  const [first_name, last_name] = name.split(' ');
  await directus.call('POST', '/users', { email, password, first_name, last_name, role: ids.editorRole });
}

interface DirectusProduct {
  id: string;
  description: string | null;
  images: unknown[];
}

/** Waits until the sync has created the products in Directus; returns the ones that are there. */
async function waitForSync(directus: Http, products: Product[], timeoutMs: number) {
  const wanted = new Set(products.map((product) => product.id));
  const deadline = Date.now() + timeoutMs;
  let found: DirectusProduct[] = [];
  while (Date.now() < deadline) {
    const answer = await directus.call<{ data: DirectusProduct[] }>(
      'GET',
      `/items/products?limit=-1&fields=id,description,images&filter[id][_in]=${[...wanted].join(',')}`,
    );
    found = answer.data;
    if (found.length >= wanted.size) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return found;
}

async function addEditorContent(directus: Http, products: Map<string, Product>, synced: DirectusProduct[]) {
  const bySku = new Map(demoProducts.map((product) => [product.sku, product]));
  const categories = new Map(demoCategories.map((category) => [category.slug, category]));
  for (const item of synced) {
    const product = [...products.values()].find((candidate) => candidate.id === item.id);
    const demo = product && bySku.get(product.sku);
    if (!demo || item.description || item.images.length) continue;
    const svg = productImage(demo, categories.get(demo.category)!);
    const file = await uploadPicture(directus, demo.name, svg, `${demo.sku.toLowerCase()}.svg`);
    await directus.call('PATCH', `/items/products/${item.id}`, {
      description: `<p>${demo.description}</p>`,
      highlights: demo.highlights,
      seo_title: `${demo.name} | Lapak Nusantara`,
      seo_description: demo.description,
      images: { create: [{ directus_files_id: file, products_id: item.id }] },
    });
  }
}

async function uploadPicture(directus: Http, name: string, svg: string, fileName: string) {
  const form = new FormData();
  form.append('folder', ids.productImagesFolder);
  form.append('title', name);
  form.append('description', `${name}: picture made for the demo shop`);
  form.append('file', new Blob([svg], { type: 'image/svg+xml' }), fileName);
  return (await directus.call<{ data: { id: string } }>('POST', '/files', form)).data.id;
}

/**
 * A picture of its own for each variant the demo gives one (the shop shows it when that variant
 * is chosen), where an editor has not chosen one. Variants reach Directus only through the v2
 * catalog sync; with an older flow there are none to give pictures to.
 */
async function addVariantPictures(directus: Http, products: Map<string, Product>, synced: DirectusProduct[]) {
  const categories = new Map(demoCategories.map((category) => [category.slug, category]));
  const inDirectus = new Set(synced.map((item) => item.id));
  for (const demo of demoProducts.filter(hasVariants)) {
    const product = products.get(demo.sku);
    const pictured = new Map(demo.variants.filter((v) => v.picture).map((v) => [v.sku, v]));
    if (!product || !inDirectus.has(product.id) || pictured.size === 0) continue;
    const answer = await directus.call<{ data?: { id: string; sku: string; image: string | null }[] }>(
      'GET',
      `/items/product_variants?limit=-1&fields=id,sku,image&filter[product][_eq]=${product.id}`,
      undefined,
      [403],
    );
    for (const row of answer.data ?? []) {
      const variant = pictured.get(row.sku);
      if (!variant || row.image) continue;
      const name = `${demo.name} ${Object.values(variant.values).join(' ')}`;
      const svg = productImage({ ...demo, name }, categories.get(demo.category)!);
      const image = await uploadPicture(directus, name, svg, `${variant.sku.toLowerCase()}.svg`);
      await directus.call('PATCH', `/items/product_variants/${row.id}`, { image });
    }
  }
}

/**
 * Loads the demo data into the running system at `settings`' addresses; returns the logins.
 * Editor content is added only for products the sync delivered within `syncTimeoutMs`.
 */
export async function loadDemoData(settings: RunSettings, syncTimeoutMs = 60_000): Promise<DemoLogins> {
  const api = new Http(settings.urls.api);
  await ensureAdmin(settings);
  await ensureShopper(api);
  const { token } = await api.call<{ token: string }>('POST', '/api/v1/auth/login', {
    email: demoUsers.admin.email,
    password: demoUsers.admin.password,
  });
  const products = await ensureCatalog(new Http(settings.urls.api, token));

  const directus = new Http(settings.urls.directus, settings.DIRECTUS_ADMIN_TOKEN);
  await ensureEditor(directus);
  const demoSkus = new Set(demoProducts.map((product) => product.sku));
  const mine = [...products.values()].filter((product) => demoSkus.has(product.sku));
  const synced = await waitForSync(directus, mine, syncTimeoutMs);
  await addEditorContent(directus, products, synced);
  await addVariantPictures(directus, products, synced);
  return demoLogins(mine.length - synced.length);
}

/** The demo logins, as printed at start. */
export function demoLogins(notSynced: number): DemoLogins {
  return {
    admin: { email: demoUsers.admin.email, password: demoUsers.admin.password },
    shopper: { email: demoUsers.shopper.email, password: demoUsers.shopper.password },
    editor: { email: demoUsers.editor.email, password: demoUsers.editor.password },
    notSynced,
  };
}
