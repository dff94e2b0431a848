import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../worker/src/sync/webhook-signature';
import {
  orderEvent,
  secret,
  signedBatch,
  stockLowEvent,
  webhookItem,
} from '../automation/domain-events.fixture';
import { codeNode } from '../src/testing/code-node';

const verify = codeNode('order-notifications-v1.json', 'Verify signature');
const env = { LAPAK_WEBHOOK_SECRET: secret };

describe('order-notifications v1: Verify signature', () => {
  it('accepts a batch the worker signed, and answers events of other types failed', async () => {
    const confirmed = orderEvent('confirmed');
    const stock = stockLowEvent();
    const [output] = await verify({ input: [signedBatch([confirmed, stock])], env });
    expect(output!.json).toMatchObject({
      ok: true,
      requestId: 'req-1',
      events: [confirmed],
      invalid: [{ id: stock.id, status: 'failed', error: expect.stringContaining('order.confirmed') }],
    });
  });

  it('refuses with 401 an unsigned or tampered batch, and with 400 a body that is not a batch', async () => {
    const body = JSON.stringify({ events: [orderEvent('failed')] });
    const headers = webhookHeaders(secret, randomUUID(), body);
    const refusal = async (item: ReturnType<typeof webhookItem>) =>
      (await verify({ input: [item], env }))[0]!.json;
    expect(await refusal(webhookItem(body, {}))).toMatchObject({ ok: false, status: 401 });
    expect(await refusal(webhookItem(body.replace('Siti', 'Budi'), headers))).toMatchObject({
      ok: false,
      status: 401,
      message: 'webhook-signature does not match the body',
    });
    const empty = JSON.stringify({ events: [] });
    expect(await refusal(webhookItem(empty, webhookHeaders(secret, randomUUID(), empty)))).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});
