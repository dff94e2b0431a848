import { describe, expect, it } from 'vitest';
import { comparedFields, compareCatalog, directusValues, type DirectusItem } from './catalog-compare';
import { sampleProductFields } from '../testing/product-fields';
import type { CategorySyncRow, ProductSyncRow } from './catalog-sync.repository';

const old = new Date(Date.UTC(2026, 11, 1));
const recent = new Date(Date.UTC(2026, 11, 4, 12));
const before = Date.UTC(2026, 11, 4);

const product = (id: string, overrides: Partial<ProductSyncRow> = {}): ProductSyncRow => ({
  id,
  ...sampleProductFields(id),
  version: 3,
  deleted: false,
  updatedAt: old,
  ...overrides,
});
const item = (row: ProductSyncRow, overrides: Partial<DirectusItem> = {}): DirectusItem => ({
  id: row.id,
  version: row.version,
  ...directusValues.product(row),
  ...overrides,
});
const category: CategorySyncRow = {
  id: 'c',
  name: 'Kopi',
  slug: 'kopi',
  parentId: 'p',
  version: 2,
  deleted: false,
  updatedAt: old,
};

describe('directusValues', () => {
  it('gives exactly the compared fields, by Directus’s names', () => {
    expect(directusValues.product(product('a', { categoryId: 'c1' }))).toEqual({
      sku: 'SKU-a',
      name: 'Product a',
      slug: 'product-a',
      price_cents: 1999,
      currency: 'EUR',
      stock: 10,
      status: 'published',
      category: 'c1',
    });
    expect(Object.keys(directusValues.product(product('a')))).toEqual(comparedFields.product);
    expect(directusValues.category(category)).toEqual({ name: 'Kopi', slug: 'kopi', parent: 'p' });
    expect(Object.keys(directusValues.category(category))).toEqual(comparedFields.category);
  });
});

describe('compareCatalog', () => {
  it('finds nothing when Directus holds every live row at its version and values', () => {
    const rows = [product('a'), product('b', { categoryId: 'c1' })];
    expect(
      compareCatalog(
        'product',
        rows,
        rows.map((row) => item(row)),
        before,
      ),
    ).toEqual({ drift: [], skipped: 0 });
  });

  it('names each kind of drift with both versions', () => {
    const [missing, behind, ahead, different, deleted] = [
      product('missing'),
      product('behind'),
      product('ahead'),
      product('different'),
      product('deleted', { deleted: true, version: 4 }),
    ];
    const { drift } = compareCatalog(
      'product',
      [missing, behind, ahead, different, deleted],
      [
        item(behind, { version: 2 }),
        item(ahead, { version: 9 }),
        item(different, { stock: 6, name: 'Kopi lain' }),
        item(deleted, { version: 3 }),
        { id: 'orphan', version: 5 },
      ],
      before,
    );
    expect(drift).toEqual([
      { type: 'product', id: 'missing', kind: 'missing', postgresVersion: 3, directusVersion: null },
      { type: 'product', id: 'behind', kind: 'behind', postgresVersion: 3, directusVersion: 2 },
      { type: 'product', id: 'ahead', kind: 'ahead', postgresVersion: 3, directusVersion: 9 },
      {
        type: 'product',
        id: 'different',
        kind: 'different',
        postgresVersion: 3,
        directusVersion: 3,
        fields: ['name', 'stock'],
      },
      { type: 'product', id: 'deleted', kind: 'not_deleted', postgresVersion: 4, directusVersion: 3 },
      { type: 'product', id: 'orphan', kind: 'orphan', postgresVersion: null, directusVersion: 5 },
    ]);
  });

  it('leaves alone rows changed within the grace period, and a deleted row Directus no longer has', () => {
    const rows = [product('fresh', { updatedAt: recent }), product('gone', { deleted: true })];
    expect(compareCatalog('product', rows, [], before)).toEqual({ drift: [], skipped: 1 });
  });

  it('compares categories by name, slug and parent', () => {
    const { drift } = compareCatalog(
      'category',
      [category],
      [{ id: 'c', version: 2, name: 'Kopi', slug: 'kopi', parent: null }],
      before,
    );
    expect(drift).toEqual([
      {
        type: 'category',
        id: 'c',
        kind: 'different',
        postgresVersion: 2,
        directusVersion: 2,
        fields: ['parent'],
      },
    ]);
  });
});
