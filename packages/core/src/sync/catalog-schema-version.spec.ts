import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CatalogEvent } from '@lapak/contracts';
import { renderCatalogEvent, schemaVersionOfFlow } from './catalog-schema-version';

const variant = {
  id: randomUUID(),
  sku: 'KOPI-250',
  optionValues: { Weight: '250 g' },
  priceCents: 48_000,
  stock: 3,
  version: 2,
  sort: 0,
};
const upserted: CatalogEvent = {
  id: randomUUID(),
  type: 'product.upserted',
  schemaVersion: 1,
  occurredAt: '2026-12-05T02:00:00.000Z',
  aggregate: { type: 'product', id: randomUUID(), version: 2 },
  data: {
    sku: 'KOPI',
    name: 'Kopi Gayo',
    priceCents: 48_000,
    stock: 3,
    options: [{ name: 'Weight', values: ['250 g'] }],
    variants: [variant],
  },
};

describe('schemaVersionOfFlow', () => {
  it('maps v1 to schema version 1 and v2 to 2, and refuses a flow version it does not know', () => {
    expect(schemaVersionOfFlow('v1')).toBe(1);
    expect(schemaVersionOfFlow('v2')).toBe(2);
    expect(() => schemaVersionOfFlow('v3')).toThrow(/no event schema version is known for it/);
    expect(() => schemaVersionOfFlow('toString')).toThrow(/known: v1, v2/);
  });
});

describe('renderCatalogEvent', () => {
  it('gives a v1 flow the product without options and variants, as schemaVersion 1', () => {
    const rendered = renderCatalogEvent(upserted, 1);
    expect(rendered).toEqual({
      ...upserted,
      schemaVersion: 1,
      data: { sku: 'KOPI', name: 'Kopi Gayo', priceCents: 48_000, stock: 3 },
    });
    expect(upserted.data.variants).toEqual([variant]);
  });

  it('gives a v2 flow all of it, as schemaVersion 2', () => {
    expect(renderCatalogEvent(upserted, 2)).toEqual({ ...upserted, schemaVersion: 2 });
    const deleted: CatalogEvent = { ...upserted, type: 'product.deleted', data: {} };
    expect(renderCatalogEvent(deleted, 2)).toEqual({ ...deleted, schemaVersion: 2 });
  });
});
