import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createRedis, loadConfig, newId } from '@lapak/core';
import { startCmsStack, type CmsStack } from '../e2e/support/cms-stack';
import { ServiceProcess } from '../e2e/support/service-process';
import { freePort } from '../scripts/start/processes';
import { directusCacheEnv } from '../directus/src/directus-env';
import { directusQueryLimitMax, ids } from '../directus/src/fields';
import { directusCli, installCms } from '../scripts/cms';
import type { CatalogCategory, ProductQuery, ProductSort } from '../web/src/catalog/catalog.types';
import { withDescendants } from '../web/src/catalog/category-tree';
import { writeBenchmarkSection } from './lib/benchmarks-doc';
import { cpuSample, cpuSeconds, cpuSpent } from './lib/cpu';
import { knob } from './lib/knobs';
import { describeMachine } from './lib/machine';
import { percentile } from './lib/open-loop';
import { requestsOf, storefrontCatalog, type StorefrontCatalog } from './lib/storefront-catalog';

/**
 * The storefront's read path: page loads of the shop, made of the very requests the storefront's
 * catalog client (web/src/catalog/catalog.client.ts) sends to Directus as the public role, against
 * one Directus with its data cache off, as Lapak runs it (directusCacheEnv), and one with it on
 * (Redis, purged on every write), the same database behind both.
 *  - seed: PRODUCTS published products in 15 categories (5 with 2 subcategories each), with
 *    editors' text and a picture each, written as admin;
 *  - mix: half grid pages (`/` with a sort, sometimes a category, a search, a later page), half
 *    product pages (by slug, popularity Zipf-distributed over the products), drawn from a fixed
 *    seed so every phase replays the same sequence;
 *  - each phase: WARMUP_SECONDS of another sequence from the same mix, then SECONDS with
 *    CONCURRENCY page loads in flight (closed loop): page loads/s and each page load's latency
 *    (until all its requests are answered);
 *  - "with writes": the catalog sync's writes meanwhile, a batch of one product every
 *    WRITE_EVERY_MS as the sync user, made the way the n8n flow makes them (its receipt, then a
 *    create; the version fence turns a create of a held product into an update), alternately a new
 *    product and a new price and stock of a popular one. After each batch, before the next one and
 *    once more at the end, the storefront's client reads what it changed: a read older than the
 *    write is counted, and with the cache off (Lapak's setting) it fails the run.
 *
 * Knobs: BENCH_CATALOG_PRODUCTS, _CONCURRENCY, _SECONDS, _WARMUP_SECONDS, _WRITE_EVERY_MS.
 */
const PRODUCTS = knob('BENCH_CATALOG_PRODUCTS', 1000);
const CONCURRENCY = knob('BENCH_CATALOG_CONCURRENCY', 8);
const SECONDS = knob('BENCH_CATALOG_SECONDS', 15);
const WARMUP_SECONDS = knob('BENCH_CATALOG_WARMUP_SECONDS', 5);
const WRITE_EVERY_MS = knob('BENCH_CATALOG_WRITE_EVERY_MS', 100);
const PAGE_SIZE = 12; // web/src/pages/catalog.page.vue
const PICTURES = 8;

const base = loadConfig({ ...process.env, LOG_LEVEL: 'info' });
const runId = `bc${Date.now().toString(36)}`;
const say = (line: string) => console.log(line);

// ---- the catalog ----------------------------------------------------------------------------

const kinds = [
  'Kopi',
  'Teh',
  'Sambal',
  'Keripik',
  'Batik',
  'Tenun',
  'Anyaman',
  'Gula Aren',
  'Madu',
  'Rempah',
];
const places = ['Gayo', 'Toraja', 'Bali', 'Jawa', 'Flores', 'Sumatra', 'Lombok', 'Papua'];
const searches = ['kopi', 'batik', 'madu', 'toraja', 'flores', 'tenun', 'sambal', 'bali'];

interface SeededProduct {
  id: string;
  sku: string;
  name: string;
  slug: string;
  price_cents: number;
  currency: string;
  stock: number;
  status: 'published';
  category: string;
  version: number;
  synced_at: string;
}

/** The API-owned columns the sync writes (packages/contracts/src/directus.ts). */
function productRow(i: number, category: string): SeededProduct {
  const name = `${kinds[i % kinds.length]} ${places[(i * 7) % places.length]} ${i}`;
  return {
    id: newId(),
    sku: `READ-${i}`,
    name,
    slug: name.toLowerCase().replaceAll(' ', '-'),
    price_cents: 1_500_000 + ((i * 7919) % 400) * 10_000,
    currency: 'IDR',
    stock: 5 + (i % 50),
    status: 'published',
    category,
    version: 1,
    synced_at: new Date().toISOString(),
  };
}

async function directusRequest<T>(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Directus ${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  // A write whose item the caller may not read back is answered 204, without a body.
  return text ? (JSON.parse(text) as { data: T }).data : undefined;
}

/** A PNG of 1×1 pixel. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Categories, pictures and PRODUCTS published products, written as admin in batches. */
async function seed(stack: CmsStack) {
  const { url, adminToken } = stack.directus;
  const parents = ['Kopi & Teh', 'Bumbu Dapur', 'Camilan', 'Batik & Kain', 'Kerajinan'];
  const categories: CatalogCategory[] = [];
  parents.forEach((name, p) => {
    const parent = { id: newId(), name, slug: `read-${p}`, parent: null };
    categories.push(parent);
    for (const sub of ['Pilihan', 'Oleh-oleh']) {
      categories.push({
        id: newId(),
        name: `${name} ${sub}`,
        slug: `read-${p}-${sub.toLowerCase()}`,
        parent: parent.id,
      });
    }
  });
  const now = new Date().toISOString();
  // Parents before their children, as the sync writes them.
  await directusRequest(url, adminToken, 'POST', '/items/categories?fields=id', [
    ...categories.filter((c) => !c.parent).map((c) => ({ ...c, version: 1, synced_at: now })),
    ...categories.filter((c) => c.parent).map((c) => ({ ...c, version: 1, synced_at: now })),
  ]);

  const pictures: string[] = [];
  for (let i = 0; i < PICTURES; i++) {
    const form = new FormData();
    form.append('folder', ids.productImagesFolder);
    form.append('title', `Picture ${i}`);
    form.append('file', new Blob([png], { type: 'image/png' }), `picture-${i}.png`);
    const response = await fetch(`${url}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: form,
    });
    if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
    pictures.push(((await response.json()) as { data: { id: string } }).data.id);
  }

  const products: SeededProduct[] = [];
  for (let i = 0; i < PRODUCTS; i++) products.push(productRow(i, categories[i % categories.length]!.id));
  for (let start = 0; start < products.length; start += 250) {
    const batch = products.slice(start, start + 250).map((product, k) => ({
      ...product,
      description: `<p>${product.name}: ${'dipilih dan dikemas di tempat asalnya, dikirim segar. '.repeat(6)}</p>`,
      highlights: ['Dari perajin setempat', 'Dikemas rapi', `Stok ${product.stock}`],
      seo_title: `${product.name} | Lapak`,
      seo_description: `Beli ${product.name} asli, langsung dari ${places[(start + k) % places.length]}.`,
      images: [{ directus_files_id: pictures[(start + k) % pictures.length], sort: 1 }],
    }));
    await directusRequest(url, adminToken, 'POST', '/items/products?fields=id', batch);
  }
  return { categories, products };
}

// ---- the page loads -------------------------------------------------------------------------

/** One page load: stages of requests; a stage's requests go together, a stage after the one before. */
type PageLoad = string[][];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, weighted: [T, number][]): T {
  let r = next() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r < 0) return value;
  }
  return weighted.at(-1)![0];
}

/**
 * `count` page loads as the storefront makes them on arrival (web/src/pages/*.page.vue):
 *  - the shop grid asks for the categories and, at once, a page of products and their count; with
 *    a category chosen it asks for the categories a second time and waits for them before the
 *    products (catalog.page.vue: the products' loader runs the categories' loader again while
 *    the first has not answered);
 *  - a product page asks for the product by its slug.
 */
async function pageLoads(seed: number, count: number, categories: CatalogCategory[], slugs: string[]) {
  const next = random(seed);
  // Zipf (s = 1) over the products: a few are seen often, most rarely.
  const weights = slugs.map((_, rank) => 1 / (rank + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, weight, i) => (cumulative[i] = sum + weight), 0);
  const total = cumulative.at(-1)!;
  const popular = () => {
    const r = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < r) low = mid + 1;
      else high = mid;
    }
    return slugs[low]!;
  };
  const categoriesRequest = (await requestsOf((catalog) => catalog.categories()))[0]!;
  const memo = new Map<string, PageLoad>();
  const loads: PageLoad[] = [];
  for (let i = 0; i < count; i++) {
    if (next() < 0.5) {
      const slug = popular();
      const key = `product ${slug}`;
      if (!memo.has(key)) memo.set(key, [await requestsOf((catalog) => catalog.productBySlug(slug))]);
      loads.push(memo.get(key)!);
      continue;
    }
    const sort = pick<ProductSort>(next, [
      ['newest', 60],
      ['price-asc', 15],
      ['price-desc', 15],
      ['name', 10],
    ]);
    const category = next() < 0.4 ? categories[Math.floor(next() * categories.length)]! : null;
    const q = next() < 0.1 ? searches[Math.floor(next() * searches.length)] : undefined;
    const page = pick(next, [
      [1, 60],
      [2, 20],
      [3, 10],
      [4 + Math.floor(next() * 5), 10],
    ]);
    const key = `grid ${sort} ${category?.id} ${q} ${page}`;
    if (!memo.has(key)) {
      const query: ProductQuery = {
        q,
        sort,
        page,
        pageSize: PAGE_SIZE,
        categoryIds: category ? withDescendants(categories, category.id) : undefined,
      };
      const products = await requestsOf((catalog) => catalog.products(query));
      memo.set(
        key,
        category ? [[categoriesRequest, categoriesRequest], products] : [[categoriesRequest, ...products]],
      );
    }
    loads.push(memo.get(key)!);
  }
  return loads;
}

// ---- driving the load ------------------------------------------------------------------------

/** One phase's figures, as docs/benchmarks.md shows them. */
interface PhaseSummary {
  pageLoadsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Share of requests answered from the cache; null with the cache off. */
  hitRate: number | null;
  /** The sync's writes meanwhile, the reads after them and how many of those were stale. */
  writes: { written: number; checks: number; stale: number } | null;
  /** CPU ms per page load. */
  cpu: { directus: number; postgres: number; redis: number; generator: number };
}

/**
 * CPU seconds the PostgreSQL backends of one database spend from now until `stop()`. Directus's
 * pool closes idle connections and opens new ones, and a backend's CPU time goes with it, so the
 * backends are sampled every 250 ms: one that ends between samples loses at most that much.
 */
async function backendCpu(database: string) {
  const server = new URL(base.DATABASE_URL);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  const seen = new Map<number, { first: number; last: number }>();
  const sample = async (first: boolean) => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [database],
    );
    for (const { pid } of rows) {
      const now = cpuSeconds(pid);
      const known = seen.get(pid);
      // A backend started after the first sample counts from its start.
      if (!known) seen.set(pid, { first: first ? now : 0, last: now });
      else if (now > 0) known.last = now;
    }
  };
  await client.connect();
  await sample(true);
  let running = true;
  let failure: unknown;
  const sampling = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await sample(false);
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  return {
    async stop(): Promise<number> {
      running = false;
      await sampling;
      await client.end();
      if (failure) throw failure;
      let spent = 0;
      for (const { first, last } of seen.values()) spent += last - first;
      return spent;
    },
  };
}

/** CONCURRENCY shoppers, each loading the next page of `loads` as soon as its last one is shown. */
async function drive(url: string, loads: PageLoad[], seconds: number) {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 3 });
  let requests = 0;
  let hits = 0;
  let misses = 0;
  const failures: string[] = [];
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request({ agent, hostname, port, method: 'GET', path }, (res) => {
        res.resume();
        res.on('end', () => {
          requests++;
          const cache = res.headers['x-cache-status'];
          if (cache === 'HIT') hits++;
          else if (cache === 'MISS') misses++;
          if (res.statusCode !== 200) failures.push(`${res.statusCode} ${path}`);
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const load = loads[next++ % loads.length]!;
        const begun = performance.now();
        for (const stage of load) await Promise.all(stage.map(get));
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  if (failures.length) throw new Error(`${failures.length} requests failed, first: ${failures[0]}`);
  latencies.sort((a, b) => a - b);
  return { pageLoads: latencies.length, requests, seconds: elapsed, latencies, hits, misses };
}

// ---- the sync's writes and the reads that must see them ----------------------------------------

interface Writes {
  written: number;
  /** Reads, made after a write was answered, that showed the catalog as it was before it. */
  stale: string[];
  checks: number;
  stop(): Promise<void>;
}

/**
 * One sync batch of one product every WRITE_EVERY_MS as the sync user, written as the flow writes
 * it: the batch's receipt, then the product (POST, the version fence turning a create of a held
 * product into an update); alternately a new product in the first category and a new price and
 * stock of one of the 20 most popular products. The storefront's
 * client reads what changed right after the write is answered and again just before the next:
 * the new product first on the grid's first page with the count one higher, or the product page
 * with the new price and stock.
 */
function startWrites(
  url: string,
  syncToken: string,
  catalog: StorefrontCatalog,
  state: { products: SeededProduct[]; published: number; category: string },
): Writes {
  const stale: string[] = [];
  let checks = 0;
  let written = 0;
  let running = true;
  type Expectation = () => Promise<void>;
  let last: Expectation | null = null;

  const write = async (i: number): Promise<Expectation> => {
    // The flow's first write of every batch: its webhook-id's receipt (a purge of its own).
    await directusRequest(url, syncToken, 'POST', '/items/sync_webhook_receipts', { id: `bench-${newId()}` });
    if (i % 2 === 0) {
      const row = productRow(100_000 + state.published, state.category);
      row.sku = `READ-NEW-${state.published}`;
      await directusRequest(url, syncToken, 'POST', '/items/products?fields=id,version', [row]);
      state.products.push(row);
      state.published++;
      const total = state.published;
      return async () => {
        const page = await catalog.products({ sort: 'newest', page: 1, pageSize: PAGE_SIZE });
        checks++;
        if (page.items[0]?.id !== row.id || page.total !== total) {
          stale.push(
            `grid after create ${row.sku}: first ${page.items[0]?.id ?? 'none'} of ${page.total}, want ${row.id} of ${total}`,
          );
        }
      };
    }
    const product = state.products[(i >> 1) % 20]!;
    const changed = {
      ...product,
      price_cents: product.price_cents + 10_000,
      stock: (product.stock + 1) % 100,
      version: product.version + 1,
      synced_at: new Date().toISOString(),
    };
    await directusRequest(url, syncToken, 'POST', '/items/products?fields=id,version', [changed]);
    Object.assign(product, changed);
    return async () => {
      const shown = await catalog.productBySlug(changed.slug);
      checks++;
      if (shown?.price_cents !== changed.price_cents || shown.stock !== changed.stock) {
        stale.push(
          `product page after update of ${changed.sku} to v${changed.version}: ${shown?.price_cents}/${shown?.stock}, want ${changed.price_cents}/${changed.stock}`,
        );
      }
    };
  };

  let failure: unknown;
  const loop = (async () => {
    const start = performance.now();
    for (let i = 0; running; i++) {
      // Nothing was written since the last write: what it changed must still show.
      if (last) await last();
      last = await write(i);
      written++;
      await last();
      const due = start + (i + 1) * WRITE_EVERY_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
  })().catch((error: unknown) => {
    failure = error;
  });

  return {
    get written() {
      return written;
    },
    get checks() {
      return checks;
    },
    stale,
    async stop() {
      running = false;
      await loop;
      if (failure) throw failure;
      // A read that began before the last write and stored its answer after the purge would
      // leave a stale page in the cache: look once more, after the reads in flight have ended.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (last) await last();
      for (const product of state.products.slice(0, 20)) {
        const shown = await catalog.productBySlug(product.slug);
        checks++;
        if (shown?.price_cents !== product.price_cents || shown.stock !== product.stock) {
          stale.push(`product page of ${product.sku} at the end: ${shown?.price_cents}/${shown?.stock}`);
        }
      }
    },
  };
}

// ---- one Directus, measured ------------------------------------------------------------------

async function phase(
  name: string,
  target: { url: string; pid: number; database: string; redisPid: number },
  mix: { warmup: PageLoad[]; measured: PageLoad[] },
  writes?: () => Writes,
) {
  say(`${name}: warm-up ${WARMUP_SECONDS} s`);
  await drive(target.url, mix.warmup, WARMUP_SECONDS);
  const postgres = await backendCpu(target.database);
  const before = {
    directus: cpuSample([target.pid]),
    redis: cpuSample([target.redisPid]),
    generator: process.cpuUsage(),
  };
  const writer = writes?.();
  const result = await drive(target.url, mix.measured, SECONDS);
  const after = { directus: cpuSample([target.pid]), redis: cpuSample([target.redisPid]) };
  const generator = process.cpuUsage(before.generator);
  const postgresSpent = await postgres.stop();
  await writer?.stop();
  const perLoad = (seconds: number) => (seconds * 1000) / result.pageLoads;
  const summary: PhaseSummary = {
    pageLoadsPerSecond: result.pageLoads / result.seconds,
    requestsPerSecond: result.requests / result.seconds,
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    hitRate: result.hits + result.misses ? result.hits / (result.hits + result.misses) : null,
    writes: writer ? { written: writer.written, checks: writer.checks, stale: writer.stale.length } : null,
    cpu: {
      directus: perLoad(cpuSpent(before.directus, after.directus)),
      postgres: perLoad(postgresSpent),
      redis: perLoad(cpuSpent(before.redis, after.redis)),
      generator: perLoad((generator.user + generator.system) / 1e6),
    },
  };
  say(
    `${name}: ${summary.pageLoadsPerSecond.toFixed(0)} page loads/s (${summary.requestsPerSecond.toFixed(0)} requests/s), ` +
      `p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms` +
      (summary.hitRate === null ? '' : `, cache hits ${(100 * summary.hitRate).toFixed(0)} %`) +
      (writer
        ? `; ${writer.written} writes, ${writer.checks} reads after them, ${writer.stale.length} stale`
        : ''),
  );
  for (const line of writer?.stale.slice(0, 5) ?? []) say(`${name}: stale: ${line}`);
  return { summary, stale: writer?.stale ?? [] };
}

/** Public reads are bounded: `limit=-1` gets QUERY_LIMIT_MAX items at most, a larger limit is refused. */
async function checkBounds(url: string, published: number) {
  const all = await fetch(`${url}/items/products?limit=-1&fields=id`);
  const { data } = (await all.json()) as { data: unknown[] };
  const want = Math.min(published, directusQueryLimitMax);
  if (all.status !== 200 || data.length !== want) {
    throw new Error(`public limit=-1: ${all.status}, ${data.length} items, want ${want} of ${published}`);
  }
  const huge = await fetch(`${url}/items/products?limit=100000&fields=id`);
  await huge.arrayBuffer();
  if (huge.status !== 400) throw new Error(`public limit=100000: ${huge.status}, want 400`);
  return { limitAll: data.length, hugeStatus: huge.status };
}

const cell = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** docs/benchmarks.md's section: what was measured, how, and what it means for Lapak's setting. */
function report(run: {
  started: Date;
  loadBefore: number;
  loadAfter: number;
  directusVersion: string;
  /** cache off, cache on, cache on with writes, cache off with writes. */
  rows: [string, PhaseSummary][];
  published: number;
  bounds: { limitAll: number; hugeStatus: number };
}): string {
  const [[, off], [, on], [, onWrites], [, offWrites]] = run.rows as [
    [string, PhaseSummary],
    [string, PhaseSummary],
    [string, PhaseSummary],
    [string, PhaseSummary],
  ];
  const line = ([label, p]: [string, PhaseSummary]) =>
    `| ${label} | ${p.pageLoadsPerSecond.toFixed(0)} | ${p.requestsPerSecond.toFixed(0)} | ` +
    `${p.p50.toFixed(1)} ms / ${p.p99.toFixed(1)} ms | ${p.hitRate === null ? '—' : `${(100 * p.hitRate).toFixed(0)} %`} | ` +
    `${p.writes ? `${p.writes.written} (${p.writes.stale} of ${p.writes.checks} reads after them stale)` : '—'} | ` +
    `${cell(p.cpu.directus)} / ${cell(p.cpu.postgres)} / ${cell(p.cpu.redis)} / ${cell(p.cpu.generator)} |`;
  const staleOn = onWrites.writes?.stale ?? 0;
  const staleOff = offWrites.writes?.stale ?? 0;
  return `## Storefront catalog reads (\`bench/catalog-read.bench.ts\`)

Measured ${run.started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; Directus ${run.directusVersion}
(Node 22, PostgreSQL, one process, rate and pressure limiters off), PostgreSQL, Redis and the load generator all on this
machine, and other work (other test runs) shared its cores: 1-minute load average ${run.loadBefore.toFixed(1)} when the run
started and ${run.loadAfter.toFixed(1)} when it ended, so absolute figures move from run to run; compare the rows of one run.
${PRODUCTS} published products in 15 categories (each with editors' text and a picture). Page loads are the storefront's
own requests as the public role (no token), made by its catalog client (\`web/src/catalog/catalog.client.ts\`): half shop
grid pages (categories, a page of ${PAGE_SIZE} products and their count; with a category, the categories twice and then
the products, as the page does; sorts, categories, searches and later pages mixed in), half product pages by slug
(Zipf-distributed popularity). ${CONCURRENCY} page loads in flight (closed loop), ${WARMUP_SECONDS} s of warm-up, then
${SECONDS} s; latency is a page load's, until all its requests are answered. Cache on: \`CACHE_STORE=redis\`,
\`CACHE_AUTO_PURGE=true\`, \`CACHE_TTL=5m\`. With writes: a sync batch of one product every ${WRITE_EVERY_MS} ms (or as soon as
the last one and the reads after it are done) as the sync user, written the way the n8n flow writes it (the batch's
receipt, then the product: alternately a new product and a new price and stock of a popular one), each write purging the
whole cache; after each batch is answered, again before the next and once more at the end, the storefront's client reads
what it changed (the new product first on the grid's first page with the count one higher, or the product page with the
new price and stock). CPU per page load includes the writes' own in those rows.

| Directus | page loads/s | requests/s | page load p50 / p99 | cache hits | sync batches | CPU ms per page load: Directus / its PostgreSQL / Redis / load generator |
|---|---:|---:|---:|---:|---:|---:|
${run.rows.map(line).join('\n')}

While nothing is written the cache serves ${(on.pageLoadsPerSecond / off.pageLoadsPerSecond).toFixed(1)}× the page loads
of none; while the sync writes, ${(onWrites.pageLoadsPerSecond / offWrites.pageLoadsPerSecond).toFixed(1)}×: every write
empties the whole cache. Reads made after a write was answered that still showed the catalog from before it: ${staleOn}
with the cache on, ${staleOff} with it off. ${
    staleOn > 0 ? 'They are' : 'None showed in this run, but they are'
  } what auto purge cannot prevent: a read that
queried PostgreSQL before a write committed stores its answer after the write's purge, and that answer is served until
the next write or \`CACHE_TTL\`. So Lapak runs Directus with its data cache off (\`directusCacheEnv\` in
\`directus/src/directus-env.ts\`: \`pnpm start\`, docker compose), and the run fails if the cache-off rows ever read
stale. With the cache on every public answer carried \`Cache-Control: no-cache\` (with auto purge Directus has
browsers and CDNs ask again each time). Bounds (\`QUERY_LIMIT_MAX=${directusQueryLimitMax}\`): with ${run.published}
published products the public \`limit=-1\` got ${run.bounds.limitAll} items and \`limit=100000\` got ${run.bounds.hugeStatus}.
Redis's CPU is its whole server's, which other test runs share; PostgreSQL's is that of the backends serving Directus's
database (both Directus processes), sampled every 250 ms.`;
}

async function main() {
  const started = new Date();
  const loadBefore = loadavg()[0]!;
  const namespace = `lapak-bench-${runId}`;
  // The alternative to Lapak's setting: Directus's data cache in Redis, purged by every write.
  const cacheEnv = {
    CACHE_ENABLED: 'true',
    CACHE_STORE: 'redis',
    REDIS: base.REDIS_URL,
    CACHE_AUTO_PURGE: 'true',
    CACHE_TTL: '5m',
    CACHE_NAMESPACE: namespace,
    REDIS_BUS_NAMESPACE: `${namespace}:bus`,
    REDIS_LOCK_NAMESPACE: `${namespace}:lock`,
    REDIS_COUNTERS_NAMESPACE: `${namespace}:counters`,
    REDIS_PERMISSIONS_NAMESPACE: `${namespace}:permissions`,
    CACHE_STATUS_HEADER: 'X-Cache-Status',
  };
  const install = await installCms({ quiet: true });
  const directusVersion = (
    JSON.parse(readFileSync(join(install.directusHome, 'node_modules/directus/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const stack = await startCmsStack({
    databaseUrl: base.DATABASE_URL,
    runId,
    webhookSecret: randomBytes(32).toString('base64url'),
    directusEnv: cacheEnv,
    log: (line) => say(`setup: ${line}`),
  });
  // The same Directus as Lapak runs it, cache off: the stack's settings without the cache's.
  const offEnv: NodeJS.ProcessEnv = { ...stack.directus.env };
  for (const name of Object.keys(cacheEnv)) delete offEnv[name];
  Object.assign(offEnv, directusCacheEnv);
  const offPort = await freePort();
  const offUrl = `http://127.0.0.1:${offPort}`;
  const off = new ServiceProcess('directus-cache-off', install.node22, [directusCli(install), 'start'], {
    env: { ...offEnv, PORT: String(offPort), PUBLIC_URL: offUrl },
    logFile: join(stack.logsDir, 'directus-cache-off.log'),
    ready: async () => (await fetch(`${offUrl}/server/ping`)).ok,
    readyTimeoutMs: 90_000,
  });
  const redis = createRedis(base.REDIS_URL, 'worker');
  try {
    say(`seed: ${PRODUCTS} products`);
    const seeded = await seed(stack);
    // Most popular first: an order unrelated to names, prices or age.
    const shuffle = random(3);
    const byPopularity = seeded.products
      .map((product) => ({ product, key: shuffle() }))
      .sort((a, b) => a.key - b.key)
      .map(({ product }) => product);
    const slugs = byPopularity.map((product) => product.slug);
    const mix = {
      warmup: await pageLoads(2, 20_000, seeded.categories, slugs),
      measured: await pageLoads(1, 20_000, seeded.categories, slugs),
    };
    await off.start();
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
    const database = stack.directus.database;
    const state = { products: byPopularity, published: PRODUCTS, category: seeded.categories[0]!.id };

    const onUrl = stack.directus.url;
    const head = await fetch(`${onUrl}/items/categories?limit=1`);
    await head.arrayBuffer();
    // With auto purge Directus tells browsers and CDNs to ask again every time, never to keep a page.
    if (head.headers.get('cache-control') !== 'no-cache') {
      throw new Error(`cache on: Cache-Control ${head.headers.get('cache-control')}, want no-cache`);
    }
    const targets = {
      off: { url: offUrl, pid: off.pid!, database, redisPid },
      on: { url: onUrl, pid: stack.directus.process.pid!, database, redisPid },
    };
    // Writes go to the Directus under test (with the cache on, it is the one that purges).
    const writes = async (url: string) => {
      const catalog = await storefrontCatalog(url);
      return () => startWrites(url, stack.directus.syncToken, catalog, state);
    };
    const offQuiet = await phase('cache off', targets.off, mix);
    const onQuiet = await phase('cache on', targets.on, mix);
    const onWrites = await phase('cache on, with writes', targets.on, mix, await writes(onUrl));
    const offWrites = await phase('cache off, with writes', targets.off, mix, await writes(offUrl));
    const bounds = await checkBounds(onUrl, state.published);
    say(
      `bounds: public limit=-1 got ${bounds.limitAll} of ${state.published}; limit=100000 got ${bounds.hugeStatus}`,
    );
    const markdown = report({
      started,
      loadBefore,
      loadAfter: loadavg()[0]!,
      directusVersion,
      rows: [
        ['cache off', offQuiet.summary],
        ['cache on (Redis)', onQuiet.summary],
        ['cache on (Redis), with writes', onWrites.summary],
        ['cache off, with writes', offWrites.summary],
      ],
      published: state.published,
      bounds,
    });
    say(`wrote ${writeBenchmarkSection('catalog-read', markdown)}`);
    // Lapak's setting must never show a write's reader the catalog from before it.
    const stale = [...offQuiet.stale, ...offWrites.stale];
    if (stale.length) throw new Error(`cache off: stale reads after sync writes:\n${stale.join('\n')}`);
  } finally {
    await off.close();
    await stack.close();
    // Directus's cache, bus, locks and counters of this run live under its namespace.
    const stream = redis.scanStream({ match: `*${namespace}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
  }
}

await main();
