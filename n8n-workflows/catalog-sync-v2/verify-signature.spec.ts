import { describe, expect, it } from 'vitest';
import { catalogSync, deletedAfter, variant } from '../catalog-sync/catalog-batch.fixture';

const { productEvent, verified } = catalogSync(2);
const NIL = '00000000-0000-0000-0000-000000000000';
const check = async (events: unknown[]) => (await verified(events))[0]!.json;

describe('catalog-sync v2: Verify signature', () => {
  it('takes a product.upserted with its options and variants; a product without variants fails alone', async () => {
    const product = productEvent();
    const withoutVariants = productEvent({ variants: undefined });
    const withoutOptions = productEvent({ options: undefined });
    const future = productEvent({ variants: [variant({ version: 2 })] });
    const twice = variant();
    const repeated = productEvent({ variants: [twice, twice] });
    const output = await check([product, withoutVariants, withoutOptions, future, repeated]);
    expect(output).toMatchObject({ ok: true, requestId: 'req-1', events: [product] });
    expect(output.invalid).toEqual(
      [withoutVariants, withoutOptions, future, repeated].map((event) => ({
        id: event.id,
        status: 'failed',
        error: 'not a valid catalog event (schemaVersion 2)',
      })),
    );
  });

  it('reads, per 10 products, the variants Directus holds of them', async () => {
    const products = Array.from({ length: 12 }, () => productEvent());
    const newer = productEvent({}, { id: products[0]!.aggregate.id, version: 2 });
    const gone = deletedAfter(products[1]!);
    const { query } = await check([...products, newer, gone]);
    const ids = products.map((p) => p.aggregate.id).sort();
    expect(query.variables).toEqual({ categories: [NIL], p0: ids.slice(0, 10), p1: ids.slice(10) });
    expect(query.query).toContain(
      'v1: product_variants(filter: { product: { _in: $p1 } }, limit: -1) { id product version }',
    );
  });
});
