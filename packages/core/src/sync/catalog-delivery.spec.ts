import { describe, expect, it } from 'vitest';
import type { AggregateType, EventResult } from '@lapak/contracts';
import {
  planDelivery,
  retryDelay,
  settleDelivery,
  type DeliveryContext,
  type FlowReply,
} from './catalog-delivery';
import type { OutboxEventRecord } from './sync-outbox.repository';

let seq = 0;
const record = (id: string, version: number, type: AggregateType = 'product'): OutboxEventRecord => ({
  seq: ++seq,
  occurredAt: new Date(Date.UTC(2026, 11, 4)),
  event: {
    id: `e-${id}-${version}`,
    type: `${type}.upserted`,
    schemaVersion: 1,
    occurredAt: '2026-12-04T00:00:00.000Z',
    aggregate: { type, id, version },
    data: {},
  },
});
const context = (attempt = 1, maxAttempts = 3): DeliveryContext => ({
  flowVersion: 'v1',
  attempt,
  maxAttempts,
  requestId: 'sync-1',
});
const answered = (...results: EventResult[]): FlowReply => ({
  ok: true,
  results: new Map(results.map((r) => [r.id, r])),
  httpStatus: 200,
  latencyMs: 12,
  requestId: 'sync-1',
});

describe('planDelivery', () => {
  it('sends the newest version of each aggregate and supersedes the older ones, in any order', () => {
    const [p1, p3, p2, c1] = [record('p', 1), record('p', 3), record('p', 2), record('c', 1, 'category')];
    const plan = planDelivery([p1!, p3!, p2!, c1!], new Map());
    expect(plan.toSend).toEqual([p3, c1]);
    expect(plan.superseded).toEqual([
      { record: p1, by: 3 },
      { record: p2, by: 3 },
    ]);
  });

  it('supersedes an event PostgreSQL already has a newer version of, and keys by type and id', () => {
    const product = record('x', 2);
    const category = record('x', 2, 'category');
    const plan = planDelivery(
      [product, category],
      new Map([
        ['product:x', 5],
        ['category:x', 2],
      ]),
    );
    expect(plan.toSend).toEqual([category]);
    expect(plan.superseded).toEqual([{ record: product, by: 5 }]);
  });
});

describe('settleDelivery', () => {
  it('logs applied, stale and superseded events and retries nothing when all went through', () => {
    const [a, b, old] = [record('a', 1), record('b', 4), record('b', 3)];
    const plan = planDelivery([a!, old!, b!], new Map());
    const settled = settleDelivery(
      plan,
      answered({ id: a!.event.id, status: 'applied' }, { id: b!.event.id, status: 'stale' }),
      context(),
    );
    expect(settled.deliveries.map((d) => [d.eventId, d.status])).toEqual([
      [old!.event.id, 'superseded'],
      [a!.event.id, 'applied'],
      [b!.event.id, 'stale'],
    ]);
    expect(settled.deliveries[0]!.error).toBe('version 4 of this product exists');
    expect(settled.deliveries[1]).toMatchObject({
      httpStatus: 200,
      latencyMs: 12,
      requestId: 'sync-1',
      attempt: 1,
    });
    expect(settled.outcomes.map((o) => o.status)).toEqual(['applied', 'stale']);
    expect(settled.retries).toEqual([]);
    expect(settled.deadLetters).toEqual([]);
  });

  it('splits refused events in halves for the retry, so a bad one ends up alone; a missing result is refused', () => {
    const records = [record('a', 1), record('b', 1), record('c', 1)];
    const plan = planDelivery(records, new Map());
    const settled = settleDelivery(
      plan,
      answered(
        { id: records[0]!.event.id, status: 'failed', error: 'bad sku' },
        { id: records[1]!.event.id, status: 'failed' },
      ),
      context(),
    );
    expect(settled.retries).toEqual([[records[0]!.seq, records[1]!.seq], [records[2]!.seq]]);
    expect(settled.deliveries.map((d) => d.error)).toEqual(['bad sku', 'failed', 'no result for this event']);
    expect(settled.outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
  });

  it('keeps events that never reached the flow together, as errors with the reason', () => {
    const records = [record('a', 1), record('b', 1)];
    const reply: FlowReply = {
      ok: false,
      error: 'timed out after 30000 ms',
      httpStatus: null,
      latencyMs: 30_000,
      requestId: null,
    };
    const settled = settleDelivery(planDelivery(records, new Map()), reply, context(2));
    expect(settled.retries).toEqual([records.map((r) => r.seq)]);
    expect(settled.deliveries.map((d) => [d.status, d.error, d.requestId, d.attempt])).toEqual([
      ['error', 'timed out after 30000 ms', 'sync-1', 2],
      ['error', 'timed out after 30000 ms', 'sync-1', 2],
    ]);
  });

  it('dead-letters what failed on the last attempt instead of retrying it', () => {
    const [a, b] = [record('a', 1), record('b', 1)];
    const settled = settleDelivery(
      planDelivery([a!, b!], new Map()),
      answered({ id: a!.event.id, status: 'failed', error: 'bad' }, { id: b!.event.id, status: 'applied' }),
      context(3, 3),
    );
    expect(settled.retries).toEqual([]);
    expect(settled.deadLetters).toEqual([
      {
        eventId: a!.event.id,
        seq: a!.seq,
        type: 'product.upserted',
        aggregate: a!.event.aggregate,
        flowVersion: 'v1',
        attempts: 3,
        lastError: 'bad',
        requestId: 'sync-1',
      },
    ]);
  });

  it('with nothing to send, logs only the superseded events', () => {
    const old = record('a', 1);
    const settled = settleDelivery(planDelivery([old], new Map([['product:a', 2]])), null, context());
    expect(settled.deliveries.map((d) => d.status)).toEqual(['superseded']);
    expect(settled.outcomes).toEqual([]);
  });
});

describe('retryDelay', () => {
  const config = { SYNC_RETRY_BASE_MS: 1000, SYNC_RETRY_MAX_MS: 5000 };
  it('doubles from the base per attempt, caps, and jitters by ±20 %', () => {
    expect([2, 3, 4, 5].map((n) => retryDelay(config, n, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelay(config, 2, () => 0)).toBe(800);
    expect(retryDelay(config, 2, () => 0.999_999)).toBe(1200);
  });
});
