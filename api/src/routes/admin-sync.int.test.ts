import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NewDelivery } from '@lapak/core';
import {
  SyncDeadLetterRepository,
  SyncDeliveryRepository,
  userTokens,
  useTestEnv,
} from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

const { adminToken, customerToken } = userTokens(env);
let admin = '';
let customer = '';

/** An outbox event for a product, relayed; returns its seq and event id. */
async function outboxEvent(version = 1) {
  const eventId = randomUUID();
  const { rows } = await sql<{ seq: string }>`
    insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload, relayed_at)
    values (${eventId}, 'product.upserted', 'product', ${randomUUID()}, ${version}, '{}', now()) returning seq
  `.execute(env.db());
  return { seq: Number(rows[0]!.seq), eventId };
}

const delivery = (seq: number, eventId: string, status: NewDelivery['status']): NewDelivery => ({
  eventId,
  seq,
  aggregate: { type: 'product', id: randomUUID(), version: 1 },
  flowVersion: 'v1',
  attempt: 1,
  status,
  httpStatus: status === 'error' ? 502 : 200,
  latencyMs: 42,
  error: status === 'error' ? 'flow answered 502' : null,
  requestId: 'sync-test',
});

beforeAll(async () => {
  admin = await adminToken();
  customer = await customerToken();
});

describe('admin sync endpoints', () => {
  it('are for admins only', async () => {
    for (const path of ['/stats', '/deliveries', '/dead-letters']) {
      expect((await api.request('GET', `/api/v1/admin/sync${path}`)).status).toBe(401);
      const forbidden = await api.request('GET', `/api/v1/admin/sync${path}`, { token: customer });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('forbidden');
    }
    const replay = await api.request('POST', `/api/v1/admin/sync/dead-letters/${randomUUID()}/replay`, {
      token: customer,
    });
    expect(replay.status).toBe(403);
  });

  it('reports the backlog, the last hour by status, dead letters and the last success', async () => {
    const a = await outboxEvent();
    const b = await outboxEvent();
    await new SyncDeliveryRepository(env.orm.em.fork()).record([
      delivery(a.seq, a.eventId, 'applied'),
      delivery(b.seq, b.eventId, 'error'),
    ]);
    await sql`insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at)
              values (${randomUUID()}, 'product.upserted', 'product', ${randomUUID()}, 1, '{}', now() - interval '30 seconds')`.execute(
      env.db(),
    );
    const res = await api.request('GET', '/api/v1/admin/sync/stats', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.outbox.backlog).toBe(1);
    expect(res.body.outbox.oldestAgeSeconds).toBeGreaterThanOrEqual(29);
    expect(res.body.deliveriesLastHour).toMatchObject({
      applied: 1,
      error: 1,
      stale: 0,
      failed: 0,
      superseded: 0,
    });
    expect(res.body.deadLetters).toBe(0);
    expect(Date.parse(res.body.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('pages the delivery log newest first, filtered by status; a bad cursor or status is a 400', async () => {
    const events = await Promise.all([1, 2, 3].map(() => outboxEvent()));
    await new SyncDeliveryRepository(env.orm.em.fork()).record(
      events.map((e) => delivery(e.seq, e.eventId, 'failed')),
    );
    const first = await api.request('GET', '/api/v1/admin/sync/deliveries?status=failed&limit=2', {
      token: admin,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((d: { eventId: string }) => d.eventId)).toEqual([
      events[2]!.eventId,
      events[1]!.eventId,
    ]);
    expect(first.body.items[0]).toMatchObject({
      status: 'failed',
      flowVersion: 'v1',
      latencyMs: 42,
      requestId: 'sync-test',
    });
    const second = await api.request(
      'GET',
      `/api/v1/admin/sync/deliveries?status=failed&limit=2&cursor=${first.body.nextCursor}`,
      { token: admin },
    );
    expect(second.body.items.map((d: { eventId: string }) => d.eventId)).toEqual([events[0]!.eventId]);
    expect(second.body.nextCursor).toBeNull();

    const bad = await api.request('GET', '/api/v1/admin/sync/deliveries?status=lost&cursor=xyz', {
      token: admin,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toHaveProperty('status');
    const badCursor = await api.request('GET', '/api/v1/admin/sync/deliveries?cursor=xyz', { token: admin });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details).toHaveProperty('cursor');
  });

  it('lists dead letters and replays one: back into the outbox, once', async () => {
    const dead = await outboxEvent(3);
    await new SyncDeadLetterRepository(env.orm.em.fork()).add([
      {
        eventId: dead.eventId,
        seq: dead.seq,
        type: 'product.upserted',
        aggregate: { type: 'product', id: randomUUID(), version: 3 },
        flowVersion: 'v1',
        attempts: 10,
        lastError: 'flow answered 500',
        requestId: 'sync-x',
      },
    ]);
    const list = await api.request('GET', '/api/v1/admin/sync/dead-letters', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ eventId: dead.eventId, attempts: 10, replayedAt: null }),
    ]);

    const replay = await api.request('POST', `/api/v1/admin/sync/dead-letters/${dead.eventId}/replay`, {
      token: admin,
    });
    expect(replay.status).toBe(202);
    expect(replay.body.replayedAt).not.toBeNull();
    const { rows } = await sql<{
      relayed_at: Date | null;
    }>`select relayed_at from outbox_events where seq = ${dead.seq}`.execute(env.db());
    expect(rows[0]!.relayed_at).toBeNull();
    expect(
      (await api.request('GET', '/api/v1/admin/sync/dead-letters', { token: admin })).body.items,
    ).toEqual([]);

    const again = await api.request('POST', `/api/v1/admin/sync/dead-letters/${dead.eventId}/replay`, {
      token: admin,
    });
    expect(again.status).toBe(409);
    const unknown = await api.request('POST', `/api/v1/admin/sync/dead-letters/${randomUUID()}/replay`, {
      token: admin,
    });
    expect(unknown.status).toBe(404);
    const notAnId = await api.request('POST', '/api/v1/admin/sync/dead-letters/nope/replay', {
      token: admin,
    });
    expect(notAnId.status).toBe(400);
  });
});
