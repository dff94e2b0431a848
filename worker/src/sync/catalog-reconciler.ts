import {
  CatalogRepairService,
  CatalogSyncRepository,
  SyncDeliveryRepository,
  SyncOutboxRepository,
  type AggregateType,
  type CategorySyncRow,
  type Logger,
  type Orm,
  type ProductSyncRow,
} from '@lapak/core';
import { pruneTombstones } from './directus-fence';

/** What Directus holds of an item: its API-owned fields (read with the sync user's token). */
type DirectusItem = Record<string, unknown> & { id: string; version: number | null };

export type DriftKind = 'missing' | 'behind' | 'ahead' | 'different' | 'not_deleted' | 'orphan';

export interface Drift {
  type: AggregateType;
  id: string;
  kind: DriftKind;
  postgresVersion: number | null;
  directusVersion: number | null;
  /** For `different`: the fields that differ. */
  fields?: string[];
}

export interface ReconcileReport {
  checked: { products: number; categories: number };
  /** Changed within the grace period: their events may be on the way, so they are left alone. */
  skippedRecent: number;
  drift: Drift[];
  /** Events re-emitted to repair the drift (0 on a dry run). */
  reemitted: number;
  pruned: { outbox: number; deliveries: number; tombstones: number };
}

const productFields = [
  'sku',
  'name',
  'slug',
  'price_cents',
  'currency',
  'stock',
  'status',
  'category',
] as const;
const categoryFields = ['name', 'slug', 'parent'] as const;

const productValues = (row: ProductSyncRow): Record<(typeof productFields)[number], unknown> => ({
  sku: row.sku,
  name: row.name,
  slug: row.slug,
  price_cents: row.priceCents,
  currency: row.currency,
  stock: row.stock,
  status: row.status,
  category: row.categoryId,
});
const categoryValues = (row: CategorySyncRow): Record<(typeof categoryFields)[number], unknown> => ({
  name: row.name,
  slug: row.slug,
  parent: row.parentId,
});

/** Reads every item of a collection from Directus, a page at a time. */
async function readDirectus(url: string, token: string, collection: string, fields: readonly string[]) {
  const items: DirectusItem[] = [];
  const pageSize = 2000;
  for (let page = 1; ; page++) {
    const query = new URLSearchParams({
      fields: ['id', 'version', ...fields].join(','),
      limit: String(pageSize),
      page: String(page),
      sort: 'id',
    });
    const response = await fetch(new URL(`/items/${collection}?${query}`, url), {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) {
      throw new Error(
        `Directus GET /items/${collection} answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    }
    const { data } = (await response.json()) as { data: DirectusItem[] };
    items.push(...data);
    if (data.length < pageSize) return items;
  }
}

function compare<T extends { id: string; version: number; deleted: boolean; updatedAt: Date }>(
  type: AggregateType,
  rows: T[],
  items: DirectusItem[],
  values: (row: T) => Record<string, unknown>,
  recentBefore: number,
): { drift: Drift[]; skipped: number } {
  const drift: Drift[] = [];
  let skipped = 0;
  const inDirectus = new Map(items.map((item) => [item.id, item]));
  const inPostgres = new Set<string>();
  for (const row of rows) {
    inPostgres.add(row.id);
    const item = inDirectus.get(row.id);
    if (row.updatedAt.getTime() > recentBefore) {
      skipped++;
      continue;
    }
    const found = (kind: DriftKind, fields?: string[]) =>
      drift.push({
        type,
        id: row.id,
        kind,
        postgresVersion: row.version,
        directusVersion: item ? Number(item.version ?? 0) : null,
        ...(fields ? { fields } : {}),
      });
    if (row.deleted) {
      if (item) found('not_deleted');
      continue;
    }
    if (!item) {
      found('missing');
      continue;
    }
    const version = Number(item.version ?? 0);
    if (version < row.version) found('behind');
    else if (version > row.version) found('ahead');
    else {
      const expected = values(row);
      const differing = Object.keys(expected).filter((field) => (item[field] ?? null) !== expected[field]);
      if (differing.length) found('different', differing);
    }
  }
  for (const item of items) {
    if (!inPostgres.has(item.id)) {
      drift.push({
        type,
        id: item.id,
        kind: 'orphan',
        postgresVersion: null,
        directusVersion: Number(item.version ?? 0),
      });
    }
  }
  return { drift, skipped };
}

/**
 * Compares PostgreSQL with Directus (existence, version and the API-owned fields of every
 * product and category) and repairs what differs by re-emitting events through the outbox, so
 * the repair travels the same way as every change. Also prunes old outbox and delivery log rows,
 * and the version fence's tombstones in Directus.
 */
export async function reconcileCatalog(options: {
  orm: Orm;
  directusUrl: string;
  directusToken: string;
  graceMs: number;
  retentionDays?: number;
  dryRun?: boolean;
  logger?: Logger;
}): Promise<ReconcileReport> {
  const { orm } = options;
  const catalog = new CatalogSyncRepository(orm.em.fork());
  const [products, categories, directusProducts, directusCategories] = await Promise.all([
    catalog.allProducts(),
    catalog.allCategories(),
    readDirectus(options.directusUrl, options.directusToken, 'products', productFields),
    readDirectus(options.directusUrl, options.directusToken, 'categories', categoryFields),
  ]);
  const recentBefore = Date.now() - options.graceMs;
  const p = compare('product', products, directusProducts, productValues, recentBefore);
  const c = compare('category', categories, directusCategories, categoryValues, recentBefore);
  const drift = [...c.drift, ...p.drift];

  let reemitted = 0;
  if (!options.dryRun && drift.length > 0) {
    const ids = (type: AggregateType) =>
      drift.filter((d) => d.type === type && d.kind !== 'orphan').map((d) => d.id);
    reemitted = await new CatalogRepairService(orm.em.fork()).reemit({
      products: ids('product'),
      categories: ids('category'),
      orphans: drift
        .filter((d) => d.kind === 'orphan')
        .map((d) => ({ type: d.type, id: d.id, directusVersion: d.directusVersion ?? 0 })),
    });
  }
  const pruned = { outbox: 0, deliveries: 0, tombstones: 0 };
  if (!options.dryRun && options.retentionDays) {
    pruned.outbox = await new SyncOutboxRepository(orm.em.fork()).prune(options.retentionDays);
    pruned.deliveries = await new SyncDeliveryRepository(orm.em.fork()).prune(options.retentionDays);
    pruned.tombstones = await pruneTombstones(
      { url: options.directusUrl, token: options.directusToken },
      options.retentionDays,
    );
  }
  const report: ReconcileReport = {
    checked: { products: products.length, categories: categories.length },
    skippedRecent: p.skipped + c.skipped,
    drift,
    reemitted,
    pruned,
  };
  options.logger?.info(
    { checked: report.checked, drift: drift.length, reemitted, skippedRecent: report.skippedRecent, pruned },
    drift.length ? 'catalog drift found and repaired' : 'catalog in sync',
  );
  return report;
}
