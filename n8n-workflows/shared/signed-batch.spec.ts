import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flowFilesOf } from '../src/build-flows';
import { diskTree } from '../src/flow-tree';
import { flowsDir, type FlowFile } from '../src/flows';
import { codeNode, type Item } from '../src/testing/code-node';
import { secret, signedBatch, signedItem, webhookItem } from './signed-batch.fixture';

/** Every flow the worker posts batches to: those with a Verify signature node. */
const tree = diskTree(flowsDir);
const flows = flowFilesOf(tree).filter((file) =>
  (JSON.parse(tree.read(file)!) as FlowFile).nodes.some((node) => node.name === 'Verify signature'),
);

/** An event of a type no flow takes: the batch's checks come before any event's. */
const event = () => ({
  id: randomUUID(),
  type: 'kopi.roasted',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  aggregate: { type: 'kopi', id: randomUUID(), version: 1 },
  data: { name: 'Kopi Toraja' },
});

describe.each(flows)('%s: Verify signature', (flow) => {
  const verify = codeNode(flow, 'Verify signature');
  const check = async (item: Item, env: Record<string, string> = { LAPAK_WEBHOOK_SECRET: secret }) =>
    (await verify({ input: [item], env }))[0]!.json;

  it('accepts a batch the worker signed, with a whsec_ secret or a raw one; an event it does not take fails alone', async () => {
    for (const key of [secret, 'a raw secret of the shop']) {
      const unknown = event();
      const item = signedItem(JSON.stringify({ events: [unknown] }), { key });
      expect(await check(item, { LAPAK_WEBHOOK_SECRET: key })).toMatchObject({
        ok: true,
        requestId: 'req-1',
        webhookId: item.json.headers['webhook-id'],
        events: [],
        invalid: [{ id: unknown.id, status: 'failed', error: expect.any(String) }],
      });
    }
  });

  it('refuses with 401 an unsigned, forged, tampered or stale batch', async () => {
    const body = JSON.stringify({ events: [event()] });
    expect(await check(webhookItem(body, {}))).toEqual({
      ok: false,
      status: 401,
      message: 'webhook-id, webhook-timestamp and webhook-signature are required',
      requestId: 'req-1',
    });
    expect(await check(signedItem(body, { key: 'whsec_bm90IHRoZSBzZWNyZXQ=' }))).toMatchObject({
      status: 401,
      message: 'webhook-signature does not match the body',
    });
    const tampered = signedItem(body);
    tampered.binary!.data!.data = Buffer.from(body.replace('Kopi', 'Teh')).toString('base64');
    expect(await check(tampered)).toMatchObject({
      status: 401,
      message: 'webhook-signature does not match the body',
    });
    expect(await check(signedItem(body, { now: Date.now() - 6 * 60_000 }))).toMatchObject({
      status: 401,
      message: 'webhook-timestamp is missing or more than 5 minutes away from now',
    });
    expect((await check(signedItem(body, { now: Date.now() + 6 * 60_000 }))).status).toBe(401);
    expect((await check(signedItem(body, { now: Date.now() - 4 * 60_000 }))).ok).toBe(true);
  });

  it('refuses with 400 a signed body that is not a batch of 1 to 1000 events', async () => {
    expect(await check(signedItem('not json'))).toMatchObject({
      status: 400,
      message: 'the body is not JSON',
    });
    for (const events of [[], Array.from({ length: 1001 }, event)]) {
      expect(await check(signedBatch(events))).toMatchObject({
        status: 400,
        message: 'the body must be {"events": [1..1000 events]}',
      });
    }
  });

  it('fails the run when n8n was not given the secret', async () => {
    await expect(check(signedBatch([event()]), {})).rejects.toThrow(/LAPAK_WEBHOOK_SECRET is not set/);
  });
});
