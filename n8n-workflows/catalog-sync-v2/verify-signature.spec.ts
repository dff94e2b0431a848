import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../worker/src/sync/webhook-signature';
import {
  categoryEvent,
  deletedAfter,
  node,
  productEvent,
  secret,
  signedBatch,
  variant,
  webhookItem,
} from './catalog-batch.fixture';

const verify = node('Verify signature');
const env = { LAPAK_WEBHOOK_SECRET: secret };
const NIL = '00000000-0000-0000-0000-000000000000';
const check = async (events: unknown[]) => (await verify({ input: [signedBatch(events)], env }))[0]!.json;

describe('Verify signature (v2)', () => {
  it('accepts events of schemaVersion 2 only; a v1 event or a product without variants fails alone', async () => {
    const category = categoryEvent();
    const product = productEvent({ categoryId: category.aggregate.id });
    const v1 = { ...productEvent(), schemaVersion: 1 };
    const withoutVariants = productEvent({ variants: undefined });
    const future = productEvent({ variants: [variant({ version: 2 })] });
    const twice = variant();
    const repeated = productEvent({ variants: [twice, twice] });
    const output = await check([category, product, v1, withoutVariants, future, repeated]);
    expect(output).toMatchObject({ ok: true, requestId: 'req-1', events: [category, product] });
    expect(output.invalid).toEqual(
      [v1, withoutVariants, future, repeated].map((event) => ({
        id: event.id,
        status: 'failed',
        error: 'not a valid catalog event (schemaVersion 2)',
      })),
    );
  });

  it('reads the categories and, per 10 products, the variants Directus holds of them', async () => {
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

  it('refuses with 401 a batch not signed with the secret', async () => {
    const body = JSON.stringify({ events: [productEvent()] });
    const forged = webhookHeaders('whsec_bm90IHRoZSBzZWNyZXQ=', randomUUID(), body);
    expect((await verify({ input: [webhookItem(body, forged)], env }))[0]!.json).toMatchObject({
      ok: false,
      status: 401,
      message: 'webhook-signature does not match the body',
    });
  });
});
