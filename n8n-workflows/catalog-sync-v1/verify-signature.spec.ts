import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../worker/src/sync/webhook-signature';
import { categoryEvent, node, productEvent, secret, signedBatch, webhookItem } from './catalog-batch.fixture';

const verify = node('Verify signature');
const env = { LAPAK_WEBHOOK_SECRET: secret };
const refusal = async (item: ReturnType<typeof signedBatch>, withEnv = env) =>
  (await verify({ input: [item], env: withEnv }))[0]!.json;

describe('Verify signature', () => {
  it('accepts a batch the worker signed, and keeps the events apart from invalid ones', async () => {
    const category = categoryEvent();
    const product = productEvent({ categoryId: category.aggregate.id });
    const elsewhere = productEvent({ categoryId: 'c2f1a7e0-4b1d-4d39-9a53-2a7c3f1e9b10' });
    const invalid = { ...productEvent(), schemaVersion: 2 };
    const item = signedBatch([category, product, elsewhere, invalid]);
    const [output] = await verify({ input: [item], env });
    expect(output!.json).toMatchObject({
      ok: true,
      requestId: 'req-1',
      webhookId: item.json.headers['webhook-id'],
      events: [category, product, elsewhere],
      invalid: [{ id: invalid.id, status: 'failed', error: 'not a valid catalog event (schemaVersion 1)' }],
    });
    expect(output!.json.query.variables.categories).toEqual([
      category.aggregate.id,
      'c2f1a7e0-4b1d-4d39-9a53-2a7c3f1e9b10',
    ]);
  });

  it('reads the categories with the nil id when the batch points at none', async () => {
    const [output] = await verify({ input: [signedBatch([productEvent()])], env });
    expect(output!.json.query.variables.categories).toEqual(['00000000-0000-0000-0000-000000000000']);
  });

  it('checks with a whsec_ secret and with a raw one, as the worker signs', async () => {
    const body = JSON.stringify({ events: [productEvent()] });
    for (const key of [secret, 'a raw secret of the shop']) {
      const item = webhookItem(body, webhookHeaders(key, randomUUID(), body));
      expect((await refusal(item, { LAPAK_WEBHOOK_SECRET: key })).ok).toBe(true);
    }
  });

  it('refuses with 401 an unsigned, forged, tampered or stale batch', async () => {
    const body = JSON.stringify({ events: [productEvent()] });
    const headers = webhookHeaders(secret, randomUUID(), body);
    expect(await refusal(webhookItem(body, {}))).toMatchObject({
      ok: false,
      status: 401,
      message: 'webhook-id, webhook-timestamp and webhook-signature are required',
      requestId: 'req-1',
    });
    const forged = webhookHeaders('whsec_bm90IHRoZSBzZWNyZXQ=', randomUUID(), body);
    expect(await refusal(webhookItem(body, forged))).toMatchObject({
      status: 401,
      message: 'webhook-signature does not match the body',
    });
    expect(await refusal(webhookItem(body.replace('Kopi', 'Teh'), headers))).toMatchObject({
      status: 401,
      message: 'webhook-signature does not match the body',
    });
    const stale = webhookHeaders(secret, randomUUID(), body, Date.now() - 6 * 60_000);
    expect(await refusal(webhookItem(body, stale))).toMatchObject({
      status: 401,
      message: 'webhook-timestamp is missing or more than 5 minutes away from now',
    });
    const early = webhookHeaders(secret, randomUUID(), body, Date.now() + 6 * 60_000);
    expect((await refusal(webhookItem(body, early))).status).toBe(401);
    const recent = webhookHeaders(secret, randomUUID(), body, Date.now() - 4 * 60_000);
    expect((await refusal(webhookItem(body, recent))).ok).toBe(true);
  });

  it('refuses with 400 a signed body that is not a batch of 1 to 1000 events', async () => {
    const signed = (body: string) => webhookItem(body, webhookHeaders(secret, randomUUID(), body));
    expect(await refusal(signed('not json'))).toMatchObject({ status: 400, message: 'the body is not JSON' });
    for (const events of [[], Array.from({ length: 1001 }, () => productEvent())]) {
      expect(await refusal(signed(JSON.stringify({ events })))).toMatchObject({
        status: 400,
        message: 'the body must be {"events": [1..1000 events]}',
      });
    }
  });

  it('fails the run when n8n was not given the secret', async () => {
    await expect(verify({ input: [signedBatch([productEvent()])], env: {} })).rejects.toThrow(
      /LAPAK_WEBHOOK_SECRET is not set/,
    );
  });
});
