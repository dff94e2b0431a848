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

  it('reads the categories and, per 10 products, the variants Directus holds that the newest events do not list', async () => {
    const products = Array.from({ length: 12 }, () => productEvent());
    const first = products[0]!;
    const newer = productEvent(
      { variants: [variant({ version: 2 })] },
      { id: first.aggregate.id, version: 2 },
    );
    const gone = deletedAfter(products[1]!);
    const { query } = await check([...products, newer, gone]);
    const ids = products.map((p) => p.aggregate.id).sort();
    expect(query.variables.categories).toEqual([NIL]);
    expect(query.variables.p0).toEqual(ids.slice(0, 10));
    expect(query.variables.p1).toEqual(ids.slice(10));
    const listed = (event: typeof first) => (event.data.variants as { id: string }[]).map((v) => v.id);
    const newest = new Map(products.map((p) => [p.aggregate.id, listed(p)]));
    newest.set(first.aggregate.id, listed(newer));
    newest.set(gone.aggregate.id, []);
    expect([...query.variables.l0, ...query.variables.l1].sort()).toEqual(
      ids.flatMap((id) => newest.get(id)!).sort(),
    );
    expect(query.query).toContain('v1: product_variants(filter: { _and: [{ product: { _in: $p1 } }');
    expect(query.query).toContain('{ id: { _nin: $l1 } }');
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
