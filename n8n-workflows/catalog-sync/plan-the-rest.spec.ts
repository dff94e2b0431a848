import { describe, expect, it } from 'vitest';
import {
  answeringAt,
  catalogSync,
  catalogSyncVersions,
  deletedAfter,
  takingAll,
  response,
  type TestEvent,
  type WriteRequest,
} from './catalog-batch.fixture';
import type { Item } from '../src/testing/code-node';

describe.each(catalogSyncVersions)('catalog-sync v%i: Plan the rest', (version) => {
  const { productEvent, categoryEvent, run } = catalogSync(version);

  /** Plan the rest's output, after Directus answered the category writes with `categoryWrites`. */
  async function planRest(events: TestEvent[], categoryWrites?: (request: WriteRequest) => Item) {
    const { outputs } = await run(events, { directus: answeringAt('/items/categories', categoryWrites!) });
    return outputs['Plan the rest']!.map((item) => item.json);
  }

  it('writes products in requests of at most 100, rows in id order, then the tombstones', async () => {
    const products = Array.from({ length: 205 }, () => productEvent());
    const gone = deletedAfter(productEvent());
    const requests = await planRest([...products, gone]);
    expect(requests.map((request) => [request.path, request.body.length])).toEqual([
      ['/items/products?fields=id,version', 100],
      ['/items/products?fields=id,version', 100],
      ['/items/products?fields=id,version', 5],
      ['/items/sync_tombstones?fields=id,version', 1],
    ]);
    const ids = requests.slice(0, 3).flatMap((request) => request.body.map((row: { id: string }) => row.id));
    expect(ids).toEqual(products.map((event) => event.aggregate.id).sort());
    expect(requests.every((request) => request.write && request.method === 'POST')).toBe(true);
    const byRow = new Map(products.map((event) => [event.aggregate.id, event.id]));
    expect(requests[0]!.events).toEqual(requests[0]!.body.map((row: { id: string }) => byRow.get(row.id)));
  });

  it('fails alone a product whose category Directus does not hold; one written before is fine', async () => {
    const category = categoryEvent();
    const inBatch = productEvent({ categoryId: category.aggregate.id });
    const lost = productEvent({ categoryId: '0b7d3c59-3e0e-4f7f-8f0c-2d4e6a8b1c3d' });
    const [request] = await planRest([category, inBatch, lost], takingAll);
    expect(request!.events).toEqual([inBatch.id]);
    expect(request!.results[lost.id]).toEqual({
      id: lost.id,
      status: 'failed',
      error: 'category 0b7d3c59-3e0e-4f7f-8f0c-2d4e6a8b1c3d is not in Directus',
    });
    expect(request!.written).toEqual([
      { events: [category.id], rows: [{ id: category.aggregate.id, version: 1 }] },
    ]);
  });

  it('fails the category writes Directus refused, and the products pointing at them', async () => {
    const category = categoryEvent();
    const product = productEvent({ categoryId: category.aggregate.id });
    const refused = () => response(400, { errors: [{ message: 'Value for field "slug" is not unique.' }] });
    const [answer] = await planRest([category, product], refused);
    expect(answer).toMatchObject({ write: false, written: [] });
    expect(answer!.results).toEqual({
      [category.id]: { id: category.id, status: 'failed', error: 'Value for field "slug" is not unique.' },
      [product.id]: {
        id: product.id,
        status: 'failed',
        error: `category ${category.aggregate.id} is not in Directus`,
      },
    });
  });

  it('fails the run when Directus answers the category writes with a 5xx', async () => {
    await expect(planRest([categoryEvent()], () => response(503, null))).rejects.toThrow(
      /Directus answered 503 to the category writes/,
    );
  });
});
