import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncDeliveryStatus } from '@lapak/contracts';
import { makeDeadLetter, makeDelivery, makeOutboxEvent, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

const { adminToken, customerToken } = userTokens(env);
let admin = '';
let customer = '';

/** Test rows of the sync, each on an entity manager of its own. */
const outboxEvent = (options?: Parameters<typeof makeOutboxEvent>[1]) =>
  makeOutboxEvent(env.orm.em.fork(), options);
const delivered = (event: Awaited<ReturnType<typeof outboxEvent>>, status: SyncDeliveryStatus) =>
  makeDelivery(env.orm.em.fork(), event, status);

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
    await delivered(a, 'applied');
    await delivered(b, 'error');
    await outboxEvent({ relayed: false, secondsAgo: 30 });
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
    for (const event of events) await delivered(event, 'failed');
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
    const dead = await outboxEvent({ version: 3 });
    await makeDeadLetter(env.orm.em.fork(), dead);
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
