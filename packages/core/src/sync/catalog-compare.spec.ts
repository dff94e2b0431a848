import { describe, expect, it } from 'vitest';
import {
  comparedFields,
  compareCatalog,
  compareVariants,
  directusValues,
  type DirectusItem,
} from './catalog-compare';
import { sampleProductFields } from '../testing/product-fields';
import type { CategorySyncRow, ProductSyncRow, VariantSyncRow } from './catalog-sync.repository';

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
const variant = (id: string, overrides: Partial<VariantSyncRow> = {}): VariantSyncRow => ({
  id,
  sku: `SKU-${id}`,
  optionValues: { Weight: '250 g', Grind: 'Whole bean' },
  priceCents: 1999,
  stock: 4,
  version: 2,
  sort: 0,
  ...overrides,
});
const variantItem = (
  productId: string,
  row: VariantSyncRow,
  overrides: Partial<DirectusItem> = {},
): DirectusItem => ({
  id: row.id,
  version: row.version,
  ...directusValues.variant(productId, row),
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
    expect(Object.keys(directusValues.product(product('a')))).toEqual(comparedFields(1).product);
    expect(Object.keys(directusValues.product(product('a'), 2))).toEqual(comparedFields(2).product);
    expect(directusValues.category(category)).toEqual({ name: 'Kopi', slug: 'kopi', parent: 'p' });
    expect(Object.keys(directusValues.category(category))).toEqual(comparedFields(1).category);
    expect(Object.keys(directusValues.variant('a', variant('v')))).toEqual(comparedFields(2).variant);
    expect(comparedFields(1).variant).toEqual([]);
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

describe('compareCatalog with a flow of schema version 2', () => {
  const options = [{ name: 'Weight', values: ['250 g', '1 kg'] }];

  it('compares the options too, whatever the order of the keys Directus keeps', () => {
    const row = product('a', { options });
    const held = item(row, { options: [{ values: ['250 g', '1 kg'], name: 'Weight' }] });
    expect(compareCatalog('product', [row], [held], before, 2).drift).toEqual([]);
    expect(compareCatalog('product', [row], [{ ...held, options: null }], before, 2).drift).toEqual([
      {
        type: 'product',
        id: 'a',
        kind: 'different',
        postgresVersion: 3,
        directusVersion: 3,
        fields: ['options'],
      },
    ]);
    // A flow of schema version 1 writes no options: they are not compared.
    expect(compareCatalog('product', [row], [{ ...held, options: null }], before, 1).drift).toEqual([]);
  });
});

describe('compareVariants', () => {
  const [kept, stale, ahead, changed, missing] = ['kept', 'stale', 'ahead', 'changed', 'missing'].map(
    (id, sort) => variant(id, { sort }),
  );
  const row = product('p', { variants: [kept!, stale!, ahead!, changed!, missing!] });

  it('finds nothing when Directus holds every variant at its version and values', () => {
    const items = row.variants!.map((v) =>
      variantItem('p', v, { option_values: { Grind: 'Whole bean', Weight: '250 g' } }),
    );
    expect(compareVariants([row], items, new Set(['p']), before)).toEqual([]);
  });

  it('names each drift of a variant as a drift of its product, by the variant', () => {
    const items = [
      variantItem('p', kept!),
      variantItem('p', stale!, { version: 1 }),
      variantItem('p', ahead!, { version: 5 }),
      variantItem('p', changed!, { stock: 0, sort: 7 }),
      variantItem('p', variant('removed'), { version: 1 }),
    ];
    expect(compareVariants([row], items, new Set(['p']), before)).toEqual([
      { type: 'product', id: 'p', variant: 'stale', kind: 'behind', postgresVersion: 2, directusVersion: 1 },
      { type: 'product', id: 'p', variant: 'ahead', kind: 'ahead', postgresVersion: 2, directusVersion: 5 },
      {
        type: 'product',
        id: 'p',
        variant: 'changed',
        kind: 'different',
        postgresVersion: 2,
        directusVersion: 2,
        fields: ['stock', 'sort'],
      },
      {
        type: 'product',
        id: 'p',
        variant: 'missing',
        kind: 'missing',
        postgresVersion: 2,
        directusVersion: null,
      },
      {
        type: 'product',
        id: 'p',
        variant: 'removed',
        kind: 'extra',
        postgresVersion: null,
        directusVersion: 1,
      },
    ]);
  });

  it('leaves alone recent and deleted products, and those Directus does not hold', () => {
    const rows = [
      product('fresh', { updatedAt: recent, variants: [variant('f')] }),
      product('gone', { deleted: true, variants: [] }),
      product('absent', { variants: [variant('x')] }),
    ];
    const items = [variantItem('fresh', variant('other')), variantItem('gone', variant('g'))];
    expect(compareVariants(rows, items, new Set(['fresh', 'gone']), before)).toEqual([]);
  });
});
