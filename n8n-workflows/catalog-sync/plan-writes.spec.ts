import { describe, expect, it } from 'vitest';
import { directusCollections } from '@lapak/contracts';
import {
  catalogSync,
  catalogSyncVersions,
  deletedAfter,
  directusRead,
  type TestEvent,
} from './catalog-batch.fixture';

describe.each(catalogSyncVersions)('catalog-sync v%i: Plan writes', (version) => {
  const { node, productEvent, categoryEvent, verified } = catalogSync(version);
  const planWrites = node('Plan writes');

  async function plan(events: TestEvent[], held: string[] = []) {
    const [output] = await planWrites({
      input: directusRead(held),
      nodes: { 'Verify signature': await verified(events) },
    });
    return output!.json;
  }

  it('writes exactly the API-owned fields of products (options from v2 on) and categories', async () => {
    const category = categoryEvent();
    const product = productEvent({ categoryId: category.aggregate.id });
    const { ops, writeCategories } = await plan([category, product]);
    expect(Object.keys(ops.product.upsert[0].row)).toEqual([
      'id',
      ...directusCollections.products.apiOwned.filter((field) => version >= 2 || field !== 'options'),
    ]);
    expect(Object.keys(writeCategories.body[0])).toEqual(['id', ...directusCollections.categories.apiOwned]);
    expect(ops.product.upsert[0]).toMatchObject({
      event: product.id,
      row: {
        id: product.aggregate.id,
        sku: 'KOPI-001',
        price_cents: 48_000,
        category: category.aggregate.id,
        version: 1,
        synced_at: expect.any(String),
      },
    });
  });

  it('keeps the newest event of each aggregate; the others are stale, in either order', async () => {
    const first = productEvent({ name: 'old' });
    const second = productEvent({ name: 'new' }, { id: first.aggregate.id, version: 2 });
    for (const events of [
      [first, second],
      [second, first],
    ]) {
      const { ops, results } = await plan(events);
      expect(ops.product.upsert.map((op: { event: string }) => op.event)).toEqual([second.id]);
      expect(results).toEqual({ [first.id]: { id: first.id, status: 'stale' } });
    }
  });

  it('turns deletes into tombstones of (collection, item, version)', async () => {
    const product = productEvent();
    const removed = deletedAfter(product);
    const { ops } = await plan([removed]);
    expect(ops.product.delete).toEqual([
      {
        event: removed.id,
        row: {
          id: `products:${product.aggregate.id}`,
          collection: 'products',
          item: product.aggregate.id,
          version: 2,
        },
      },
    ]);
  });

  it('writes parent categories before their children; a child of a missing parent fails alone', async () => {
    const parent = categoryEvent({ name: 'Minuman' });
    const child = categoryEvent({ name: 'Kopi', parentId: parent.aggregate.id });
    const orphan = categoryEvent({ name: 'Teh', parentId: '5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87' });
    const { writeCategories, results, available } = await plan([child, orphan, parent]);
    expect(writeCategories.events).toEqual([parent.id, child.id]);
    expect(writeCategories.path).toBe('/items/categories?fields=id,version');
    expect(results[orphan.id]).toEqual({
      id: orphan.id,
      status: 'failed',
      error: 'parent category 5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87 is not in Directus',
    });
    expect(available).toEqual(expect.arrayContaining([parent.aggregate.id, child.aggregate.id]));
  });

  it('counts a category Directus holds as available, unless this batch deletes it', async () => {
    const held = categoryEvent();
    const child = categoryEvent({ parentId: held.aggregate.id });
    expect((await plan([child], [held.aggregate.id])).writeCategories.events).toEqual([child.id]);
    const planned = await plan([child, deletedAfter(held)], [held.aggregate.id]);
    expect(planned.writeCategories).toBeNull();
    expect(planned.results[child.id]).toMatchObject({ status: 'failed' });
  });

  it('fails the run when Directus did not answer the category read', async () => {
    await expect(
      planWrites({
        input: [{ json: { errors: [{ message: 'forbidden' }] } }],
        nodes: { 'Verify signature': await verified([productEvent()]) },
      }),
    ).rejects.toThrow(/Directus did not answer the category (and variant )?read/);
  });
});
