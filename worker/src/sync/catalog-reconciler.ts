import {
  CatalogReconcileService,
  comparedFields,
  compareCatalog,
  compareVariants,
  schemaVersionOfFlow,
  type DirectusItem,
  type Drift,
  type Logger,
  type Orm,
} from '@lapak/core';
import { readItems } from '@directus/sdk';
import { directusRequest, type CatalogCollection, type DirectusAccess } from './directus';
import { pruneTombstones, pruneWebhookReceipts } from './directus-fence';

export interface ReconcileReport {
  checked: { products: number; categories: number };
  /** Changed within the grace period: their events may be on the way, so they are left alone. */
  skippedRecent: number;
  drift: Drift[];
  /** Events re-emitted to repair the drift (0 on a dry run). */
  reemitted: number;
  pruned: { outbox: number; deliveries: number; tombstones: number; webhookReceipts: number };
}

/** Reads every item of a collection from Directus, a page at a time. */
async function readDirectus(
  access: DirectusAccess,
  collection: CatalogCollection,
  fields: readonly string[],
) {
  const items: DirectusItem[] = [];
  // Within Directus's QUERY_LIMIT_MAX (directus/src/fields.ts).
  const limit = 1000;
  for (let page = 1; ; page++) {
    const query = { fields: ['id', 'version', ...fields], limit, page, sort: ['id'] };
    const data = await directusRequest<DirectusItem[]>(
      access,
      `GET /items/${collection}`,
      readItems(collection, query),
      60_000,
    );
    items.push(...data);
    if (data.length < limit) return items;
  }
}

/**
 * Compares PostgreSQL with Directus (existence, version and the API-owned fields of every
 * product and category, and with a flow of event schema version 2 the products' options and
 * variants) and repairs what differs by re-emitting events through the outbox, so the repair
 * travels the same way as every change. Also prunes old outbox and delivery log rows, and the
 * version fence's tombstones in Directus.
 */
export async function reconcileCatalog(options: {
  orm: Orm;
  /** The active flow version (SYNC_FLOW_VERSION): what it writes is what is compared. */
  flowVersion: string;
  directusUrl: string;
  directusToken: string;
  graceMs: number;
  retentionDays?: number;
  dryRun?: boolean;
  logger?: Logger;
}): Promise<ReconcileReport> {
  const service = new CatalogReconcileService(options.orm.em.fork());
  const schemaVersion = schemaVersionOfFlow(options.flowVersion);
  const fields = comparedFields(schemaVersion);
  const directus = { url: options.directusUrl, token: options.directusToken };
  const read = (collection: CatalogCollection, names: readonly string[]) =>
    readDirectus(directus, collection, names);
  const [{ products, categories }, directusProducts, directusCategories, directusVariants] =
    await Promise.all([
      service.catalog({ variants: schemaVersion >= 2 }),
      read('products', fields.product),
      read('categories', fields.category),
      schemaVersion >= 2 ? read('product_variants', fields.variant) : Promise.resolve([]),
    ]);
  const recentBefore = Date.now() - options.graceMs;
  const p = compareCatalog('product', products, directusProducts, recentBefore, schemaVersion);
  const c = compareCatalog('category', categories, directusCategories, recentBefore);
  const v =
    schemaVersion >= 2
      ? compareVariants(
          products,
          directusVariants,
          new Set(directusProducts.map((item) => item.id)),
          recentBefore,
        )
      : [];
  const drift = [...c.drift, ...p.drift, ...v];

  const reemitted = options.dryRun ? 0 : await service.repair(drift);
  const pruned = { outbox: 0, deliveries: 0, tombstones: 0, webhookReceipts: 0 };
  if (!options.dryRun && options.retentionDays) {
    Object.assign(pruned, await service.prune(options.retentionDays));
    pruned.tombstones = await pruneTombstones(directus, options.retentionDays);
    pruned.webhookReceipts = await pruneWebhookReceipts(directus);
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
