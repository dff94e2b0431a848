import { describe, expect, it } from 'vitest';
import { directusCollections } from '@lapak/contracts';
import {
  answeringAt,
  catalogSync,
  deletedAfter,
  directusRead,
  holding,
  options,
  response,
  variant,
  type TestEvent,
  type WriteRequest,
} from '../catalog-sync/catalog-batch.fixture';

const { productEvent, categoryEvent, run } = catalogSync(2);

const paths = (sent: WriteRequest[]) => sent.map((request) => request.path);

describe('catalog-sync v2: Plan writes, Plan the rest, Plan variants', () => {
  it('writes the product with its options, then each variant with its own version, by API-owned fields', async () => {
    const category = categoryEvent();
    const [a, b] = [
      variant({ sort: 0 }),
      variant({ sku: 'KOPI-001-1000', optionValues: { Weight: '1 kg' }, version: 3, sort: 1 }),
    ];
    const product = productEvent({ categoryId: category.aggregate.id, variants: [b, a] }, { version: 3 });
    const { results, sent } = await run([category, product]);
    expect(results).toEqual([
      { id: category.id, status: 'applied' },
      { id: product.id, status: 'applied' },
    ]);
    expect(paths(sent)).toEqual([
      '/items/categories?fields=id,version',
      '/items/products?fields=id,version',
      '/items/product_variants?fields=id,version',
    ]);
    const [, products, variants] = sent;
    expect(Object.keys(products!.body[0]!)).toEqual(['id', ...directusCollections.products.apiOwned]);
    expect(products!.body[0]).toMatchObject({ id: product.aggregate.id, options, version: 3 });
    expect(Object.keys(variants!.body[0]!)).toEqual(['id', ...directusCollections.product_variants.apiOwned]);
    const byId = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(variants!.body).toEqual(
      byId.map((v) => ({
        id: v.id,
        product: product.aggregate.id,
        sku: v.sku,
        option_values: v.optionValues,
        price_cents: v.priceCents,
        stock: v.stock,
        version: v.version,
        sort: v.sort,
        synced_at: expect.any(String),
      })),
    );
    expect(variants!.events).toEqual([product.id, product.id]);
  });

  it('deletes the variants Directus holds that the product no longer lists, as tombstones at its version', async () => {
    const product = productEvent({}, { version: 4 });
    const removed = '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
    const { results, sent } = await run([product], {
      read: directusRead([], { [removed]: { product: product.aggregate.id, version: 1 } }),
    });
    expect(results).toEqual([{ id: product.id, status: 'applied' }]);
    expect(sent.find((request) => request.path.startsWith('/items/sync_tombstones'))).toMatchObject({
      method: 'POST',
      body: [
        { id: `product_variants:${removed}`, collection: 'product_variants', item: removed, version: 4 },
      ],
      events: [product.id],
    });
  });

  it('writes only the variants Directus does not hold as new: a change of one variant writes that one', async () => {
    const [kept, changed, added] = [
      variant({ version: 1 }),
      variant({ version: 3 }),
      variant({ version: 3 }),
    ];
    const product = productEvent({ variants: [kept, changed, added] }, { version: 3 });
    const read = directusRead([], {
      [kept.id]: { product: product.aggregate.id, version: 1 },
      [changed.id]: { product: product.aggregate.id, version: 2 },
    });
    const { results, sent } = await run([product], { read });
    expect(results).toEqual([{ id: product.id, status: 'applied' }]);
    expect(sent.at(-1)!.path).toBe('/items/product_variants?fields=id,version');
    expect(
      sent
        .at(-1)!
        .body.map((row) => row.id)
        .sort(),
    ).toEqual([changed.id, added.id].sort());
  });

  it('writes the variants of a product Directus holds with the product, those of a new one after it', async () => {
    const held = productEvent({}, { version: 2 });
    const fresh = productEvent();
    const { results, sent } = await run([held, fresh], { read: directusRead([], {}, [held.aggregate.id]) });
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const variantsOf = (event: TestEvent) => (event.data.variants as { id: string }[]).map((v) => v.id);
    // Round 2 (Plan the rest): the products, and the held product's variants beside them.
    expect(sent.slice(0, 2).map((request) => [request.path, request.body.map((row) => row.id)])).toEqual(
      expect.arrayContaining([
        ['/items/products?fields=id,version', [held.aggregate.id, fresh.aggregate.id].sort()],
        ['/items/product_variants?fields=id,version', variantsOf(held)],
      ]),
    );
    // Round 3 (Plan variants): the new product's variants, once it is in Directus.
    expect(sent.slice(2).map((request) => request.body.map((row) => row.id))).toEqual([variantsOf(fresh)]);
  });

  it('fails an applied event whose variants written with it were refused', async () => {
    const product = productEvent({}, { version: 2 });
    const { results } = await run([product], {
      directus: answeringAt('/items/product_variants', () =>
        response(400, { errors: [{ message: 'Invalid payload' }] }),
      ),
      read: directusRead([], {}, [product.aggregate.id]),
    });
    expect(results).toEqual([{ id: product.id, status: 'failed', error: 'variants: Invalid payload' }]);
  });

  it('deletes a product with a tombstone, then a tombstone of each variant Directus holds of it', async () => {
    const product = productEvent();
    const gone = deletedAfter(product);
    const held = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    const { results, sent } = await run([gone], {
      read: directusRead([], { [held]: { product: product.aggregate.id, version: 1 } }),
    });
    expect(results).toEqual([{ id: gone.id, status: 'applied' }]);
    expect(sent.map((request) => request.body.map((row) => row.id))).toEqual([
      [`products:${product.aggregate.id}`],
      [`product_variants:${held}`],
    ]);
  });

  it('writes no variant of a product whose own write failed, and fails its event', async () => {
    const product = productEvent({ categoryId: '5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87' });
    const refused = productEvent();
    const { results, sent } = await run([product, refused], {
      directus: answeringAt('/items/products', () =>
        response(400, { errors: [{ message: 'Invalid payload' }] }),
      ),
    });
    expect(results).toEqual([
      {
        id: product.id,
        status: 'failed',
        error: 'category 5d0c2f8e-8b7a-4c1e-9f3d-6a2b1c0e9d87 is not in Directus',
      },
      { id: refused.id, status: 'failed', error: 'Invalid payload' },
    ]);
    expect(paths(sent)).toEqual(['/items/products?fields=id,version']);
  });

  it('fails the run when a variant read answers as many rows as Directus gives at most', async () => {
    const read = directusRead([]);
    read[0]!.json.data.v0 = Array.from({ length: 1000 }, (_, i) => ({
      id: String(i),
      product: 'p',
      version: 1,
    }));
    await expect(run([productEvent()], { read })).rejects.toThrow(/variant read v0/);
  });
});

describe('catalog-sync v2: Answer per event', () => {
  it('answers from the product: stale when Directus holds a newer one, whatever its variants did', async () => {
    const product = productEvent({}, { version: 2 });
    const { results } = await run([product], {
      directus: holding((row) => (row.id === product.aggregate.id ? 5 : null)),
    });
    expect(results).toEqual([{ id: product.id, status: 'stale' }]);
  });

  it('applied when the variants come back at their version, newer, or not at all (a newer delete)', async () => {
    const [same, newer, deleted] = [variant(), variant(), variant()];
    const product = productEvent({ variants: [same, newer, deleted] });
    const { results } = await run([product], {
      directus: holding((row) => (row.id === newer.id ? 4 : row.id === deleted.id ? null : row.version)),
    });
    expect(results).toEqual([{ id: product.id, status: 'applied' }]);
  });

  it('failed when a variant write is refused or leaves an older variant, so that it is delivered again', async () => {
    const product = productEvent({ variants: [variant({ version: 2 })] }, { version: 2 });
    const refused = await run([product], {
      directus: answeringAt('/items/product_variants', () =>
        response(403, { errors: [{ message: "You don't have permission to access this." }] }),
      ),
    });
    expect(refused.results).toEqual([
      { id: product.id, status: 'failed', error: "variants: You don't have permission to access this." },
    ]);
    const behind = await run([product], {
      directus: answeringAt(
        '/items/product_variants',
        holding(() => 1),
      ),
    });
    expect(behind.results[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/holds version 1 of/),
    });
  });

  it('fails the run when Directus answers a variant write with 5xx: the dispatcher delivers again', async () => {
    await expect(
      run([productEvent()], { directus: answeringAt('/items/product_variants', () => response(503, null)) }),
    ).rejects.toThrow(/Directus answered 503 to POST \/items\/product_variants/);
  });
});
