import { directusSyncedFields, type AggregateType } from '@lapak/contracts';
import type { CatalogSchemaVersion } from './catalog-schema-version';
import type { CategorySyncRow, ProductSyncRow, VariantSyncRow } from './catalog-sync.repository';

/**
 * The reconciliation's rules as a pure function: how what Directus holds differs from
 * PostgreSQL, item by item. The reconciler reads both sides and repairs what this reports.
 */

/** What Directus holds of an item: its id, version and API-owned fields (Directus's names). */
export type DirectusItem = Record<string, unknown> & { id: string; version: number | null };

/**
 * `extra`: a variant Directus holds for a product that PostgreSQL does not list (removed, or
 * never had); the product is re-emitted, and the flow deletes the variants it no longer lists.
 */
export type DriftKind = 'missing' | 'behind' | 'ahead' | 'different' | 'not_deleted' | 'orphan' | 'extra';

export interface Drift {
  type: AggregateType;
  id: string;
  /** A drift of one of the product's variants (its id): repaired by re-emitting the product. */
  variant?: string;
  kind: DriftKind;
  postgresVersion: number | null;
  directusVersion: number | null;
  /** For `different`: the fields that differ. */
  fields?: string[];
}

/**
 * The API-owned fields compared besides the version, by Directus's names: those the flow of
 * `schemaVersion` writes (no options and no variants before schema version 2).
 */
export const comparedFields = (schemaVersion: CatalogSchemaVersion) => directusSyncedFields(schemaVersion);

/** A row's compared fields as Directus should hold them, by Directus's names. */
export const directusValues = {
  product: (row: ProductSyncRow, schemaVersion: CatalogSchemaVersion = 1): Record<string, unknown> => ({
    sku: row.sku,
    name: row.name,
    slug: row.slug,
    price_cents: row.priceCents,
    currency: row.currency,
    stock: row.stock,
    status: row.status,
    category: row.categoryId,
    ...(schemaVersion >= 2 ? { options: row.options ?? [] } : {}),
  }),
  category: (row: CategorySyncRow): Record<string, unknown> => ({
    name: row.name,
    slug: row.slug,
    parent: row.parentId,
  }),
  variant: (productId: string, variant: VariantSyncRow): Record<string, unknown> => ({
    product: productId,
    sku: variant.sku,
    option_values: variant.optionValues,
    price_cents: variant.priceCents,
    stock: variant.stock,
    sort: variant.sort,
  }),
};

/** JSON with object keys in one order: Directus keeps a JSON field as written, PostgreSQL sorts. */
function canonical(value: unknown): string {
  const order = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(order);
    if (inner && typeof inner === 'object') {
      return Object.fromEntries(
        Object.entries(inner)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([key, field]) => [key, order(field)]),
      );
    }
    return inner ?? null;
  };
  return JSON.stringify(order(value));
}

const sameValue = (held: unknown, expected: unknown) =>
  expected !== null && typeof expected === 'object'
    ? canonical(typeof held === 'string' ? (JSON.parse(held) as unknown) : held) === canonical(expected)
    : (held ?? null) === expected;

const differingFields = (item: Record<string, unknown>, expected: Record<string, unknown>) =>
  Object.keys(expected).filter((field) => !sameValue(item[field], expected[field]));

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
 * (ms since the epoch) are skipped. The fields compared are those the flow of `schemaVersion`
 * writes.
 */
export function compareCatalog<T extends AggregateType>(
  type: T,
  rows: (T extends 'product' ? ProductSyncRow : CategorySyncRow)[],
  items: DirectusItem[],
  recentBefore: number,
  schemaVersion: CatalogSchemaVersion = 1,
): CatalogComparison {
  const values = (row: (typeof rows)[number]) =>
    type === 'product'
      ? directusValues.product(row as ProductSyncRow, schemaVersion)
      : directusValues.category(row as CategorySyncRow);
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
      const differing = differingFields(item, values(row));
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
 * Compares the variants of every live product PostgreSQL holds (`rows`, with their `variants`)
 * with the variants Directus holds (`items` of product_variants, `product` being the product's
 * id): a listed variant Directus lacks is `missing`, at an older or newer version `behind` or
 * `ahead`, at the same version with other values `different`; a variant Directus holds that the
 * product does not list is `extra`. Each is a drift of the product, by the variant's id: the
 * repair re-emits the product. Products changed after `recentBefore`, deleted ones (Directus
 * deletes the variants with the product) and those Directus does not hold (the product itself
 * is `missing` or an `orphan`) are left to compareCatalog.
 */
export function compareVariants(
  rows: ProductSyncRow[],
  items: DirectusItem[],
  productsInDirectus: ReadonlySet<string>,
  recentBefore: number,
): Drift[] {
  const held = new Map<string, DirectusItem[]>();
  for (const item of items) {
    const product = String(item.product);
    held.set(product, [...(held.get(product) ?? []), item]);
  }
  const drift: Drift[] = [];
  for (const row of rows) {
    if (row.deleted || row.updatedAt.getTime() > recentBefore || !productsInDirectus.has(row.id)) continue;
    const found = (
      variant: string,
      kind: DriftKind,
      versions: [number | null, number | null],
      fields?: string[],
    ) =>
      drift.push({
        type: 'product',
        id: row.id,
        variant,
        kind,
        postgresVersion: versions[0],
        directusVersion: versions[1],
        ...(fields ? { fields } : {}),
      });
    const inDirectus = new Map((held.get(row.id) ?? []).map((item) => [item.id, item]));
    const listed = new Set<string>();
    for (const variant of row.variants ?? []) {
      listed.add(variant.id);
      const item = inDirectus.get(variant.id);
      if (!item) {
        found(variant.id, 'missing', [variant.version, null]);
        continue;
      }
      const version = Number(item.version ?? 0);
      if (version < variant.version) found(variant.id, 'behind', [variant.version, version]);
      else if (version > variant.version) found(variant.id, 'ahead', [variant.version, version]);
      else {
        const differing = differingFields(item, directusValues.variant(row.id, variant));
        if (differing.length) found(variant.id, 'different', [variant.version, version], differing);
      }
    }
    for (const item of inDirectus.values()) {
      if (!listed.has(item.id)) found(item.id, 'extra', [null, Number(item.version ?? 0)]);
    }
  }
  return drift;
}
