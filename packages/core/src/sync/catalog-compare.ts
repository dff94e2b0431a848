import { directusStateFields, type AggregateType } from '@lapak/contracts';
import type { CategorySyncRow, ProductSyncRow } from './catalog-sync.repository';

/**
 * The reconciliation's rules as a pure function: how what Directus holds differs from
 * PostgreSQL, item by item. The reconciler reads both sides and repairs what this reports.
 */

/** What Directus holds of an item: its id, version and API-owned fields (Directus's names). */
export type DirectusItem = Record<string, unknown> & { id: string; version: number | null };

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

/** The API-owned fields compared besides the version, by Directus's names. */
export const comparedFields = directusStateFields;

/** A row's compared fields as Directus should hold them, by Directus's names. */
export const directusValues = {
  product: (row: ProductSyncRow): Record<string, unknown> => ({
    sku: row.sku,
    name: row.name,
    slug: row.slug,
    price_cents: row.priceCents,
    currency: row.currency,
    stock: row.stock,
    status: row.status,
    category: row.categoryId,
  }),
  category: (row: CategorySyncRow): Record<string, unknown> => ({
    name: row.name,
    slug: row.slug,
    parent: row.parentId,
  }),
};

export interface CatalogComparison {
  drift: Drift[];
  /** Changed after `recentBefore`: their events may be on the way, so they are left alone. */
  skipped: number;
}

/**
 * Compares every row of PostgreSQL (deleted ones included) with Directus's items of that type:
 * a live row Directus lacks is `missing`, one at an older version `behind`, a newer one `ahead`,
 * the same version with other values `different`; a deleted row Directus still has is
 * `not_deleted`; an item PostgreSQL never had is an `orphan`. Rows changed after `recentBefore`
 * (ms since the epoch) are skipped.
 */
export function compareCatalog<T extends AggregateType>(
  type: T,
  rows: (T extends 'product' ? ProductSyncRow : CategorySyncRow)[],
  items: DirectusItem[],
  recentBefore: number,
): CatalogComparison {
  const values = directusValues[type] as (row: (typeof rows)[number]) => Record<string, unknown>;
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
