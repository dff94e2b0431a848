/**
 * A captured catalog batch sent again: the flow refuses a webhook-id it has seen before, so a
 * batch replayed within the signature's 5 minutes changes nothing (here: a deleted product stays
 * deleted), and answers 409 without applying it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { productDeleted, productUpserted } from '@lapak/core';
import { sampleProductFields, useTestEnv } from '@lapak/core/testing';
import { flowUrl } from '@lapak/worker/src/sync/flow-client';
import { webhookHeaders } from '@lapak/worker/src/sync/webhook-signature';
import { wireEvent } from '@lapak/worker/src/testing/wire-event';
import { DirectusClient, useStack } from '../support/stack';

const env = useTestEnv();
const stack = useStack(env);

/** A signed request as the dispatcher sends it, kept whole so it can be sent again byte for byte. */
function captured(events: unknown[]) {
  const body = JSON.stringify({ events });
  const headers = {
    ...webhookHeaders(stack.cms.webhookSecret, randomUUID(), body),
    'x-request-id': randomUUID(),
  };
  return () => fetch(flowUrl(stack.cms.n8nUrl, 'v1'), { method: 'POST', headers, body });
}

describe('replayed catalog batches', () => {
  it('are refused by webhook-id: a replayed create cannot bring a deleted product back', async () => {
    const id = randomUUID();
    const create = captured([
      wireEvent(productUpserted({ id, ...sampleProductFields(id.slice(0, 8)), version: 1 })),
    ]);
    const first = await create();
    expect(first.status).toBe(200);
    expect((await stack.directus.item('products', id))?.version).toBe(1);

    const replayed = await create();
    expect(replayed.status).toBe(409);
    expect(await replayed.json()).toEqual({
      error: {
        code: 'conflict',
        message: 'this webhook-id was received before: a replayed batch is not applied',
      },
    });

    const remove = captured([wireEvent(productDeleted({ id, version: 2 }))]);
    expect((await remove()).status).toBe(200);
    expect(await stack.directus.item('products', id)).toBeNull();
    expect((await create()).status).toBe(409);
    expect((await remove()).status).toBe(409);
    expect(await stack.directus.item('products', id)).toBeNull();
  });

  it('keep receipts only the sync user sees, pruned by reconciliation after ten minutes', async () => {
    const editor = await stack.directus.newEditor();
    for (const client of [new DirectusClient(stack.cms.directusUrl, null), editor]) {
      expect((await client.request('GET', '/items/sync_webhook_receipts')).status).toBe(403);
    }
    const sync = new DirectusClient(stack.cms.directusUrl, stack.cms.directusSyncToken);
    const old = `old-${randomUUID()}`;
    expect((await sync.request('POST', '/items/sync_webhook_receipts', { id: old })).status).toBe(200);
    const db = new pg.Client({ connectionString: stack.cms.directusDatabaseUrl });
    await db.connect();
    try {
      await db.query(
        `update sync_webhook_receipts set received_at = now() - interval '11 minutes' where id = $1`,
        [old],
      );
    } finally {
      await db.end();
    }
    const report = await stack.reconcile({ retentionDays: 14 });
    expect(report.pruned.webhookReceipts).toBeGreaterThanOrEqual(1);
    expect((await sync.request('GET', `/items/sync_webhook_receipts/${old}`)).status).toBe(403);
  });
});
