import { describe, expect, it } from 'vitest';
import { catalogSync, catalogSyncVersions } from './catalog-batch.fixture';

const NIL = '00000000-0000-0000-0000-000000000000';

describe.each(catalogSyncVersions)('catalog-sync v%i: Verify signature', (version) => {
  const { productEvent, categoryEvent, verified } = catalogSync(version);
  const check = async (events: unknown[]) => (await verified(events))[0]!.json;

  it('takes catalog events of its schema version; any other fails alone', async () => {
    const category = categoryEvent();
    const product = productEvent({ categoryId: category.aggregate.id });
    const removed = { ...productEvent(), type: 'product.deleted', data: {} };
    const otherVersion = { ...productEvent(), schemaVersion: version === 1 ? 2 : 1 };
    const renamed = { ...productEvent(), type: 'product.renamed' };
    const mismatched = { ...categoryEvent(), type: 'product.deleted' };
    const notUuid = productEvent({}, { id: 'kopi-toraja' });
    const unversioned = productEvent({}, { version: 0 });
    const output = await check([
      category,
      product,
      removed,
      otherVersion,
      renamed,
      mismatched,
      notUuid,
      unversioned,
    ]);
    expect(output).toMatchObject({ ok: true, events: [category, product, removed] });
    expect(output.invalid).toEqual(
      [otherVersion, renamed, mismatched, notUuid, unversioned].map((event) => ({
        id: event.id,
        status: 'failed',
        error: `not a valid catalog event (schemaVersion ${version})`,
      })),
    );
  });

  it('reads the categories of the batch and those it points at, the nil id when there are none', async () => {
    const category = categoryEvent();
    const child = categoryEvent({ parentId: '5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87' });
    const product = productEvent({ categoryId: category.aggregate.id });
    const elsewhere = productEvent({ categoryId: 'c2f1a7e0-4b1d-4d39-9a53-2a7c3f1e9b10' });
    const { query } = await check([category, child, product, elsewhere]);
    expect(query.variables.categories).toEqual([
      category.aggregate.id,
      child.aggregate.id,
      '5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87',
      'c2f1a7e0-4b1d-4d39-9a53-2a7c3f1e9b10',
    ]);
    expect((await check([productEvent()])).query.variables.categories).toEqual([NIL]);
  });
});
