import type { EventResult, SyncDeliveryStatus } from '@lapak/contracts';
import type { NewDeadLetter } from './sync-dead-letter.repository';
import type { NewDelivery } from './sync-delivery.repository';
import type { SyncEventRef } from './sync-event-columns';
import type { OutboxEventRecord } from './sync-outbox.repository';

/**
 * The rules of delivering catalog events to the flow, as pure functions: which events of a job
 * to send (`planDelivery`), and what the flow's answer means for each of them (`settleDelivery`):
 * the delivery log, retries and dead letters. The dispatcher only loads, posts and writes.
 */

const keyOf = (record: OutboxEventRecord) => `${record.event.aggregate.type}:${record.event.aggregate.id}`;

/**
 * What settling needs of an event: its sequence number, id, type and aggregate. Catalog events
 * are `OutboxEventRecord`s; the automation dispatcher settles domain events the same way.
 */
export interface DeliveredRecord {
  seq: number;
  event: { id: string; type: string; aggregate: SyncEventRef['aggregate'] };
}

export interface DeliveryPlan<R extends DeliveredRecord = OutboxEventRecord> {
  /** The newest event of each aggregate, unless PostgreSQL already holds a newer version. */
  toSend: R[];
  /** The others, with the version that supersedes each. */
  superseded: { record: R; by: number }[];
}

/**
 * Keeps only the newest version of each aggregate among `records`; an older one, or one whose
 * aggregate PostgreSQL already has a newer version of (`current`, by `<type>:<id>`), is
 * superseded: sending it would only come back stale.
 */
export function planDelivery(
  records: OutboxEventRecord[],
  current: ReadonlyMap<string, number>,
): DeliveryPlan {
  const newest = new Map<string, OutboxEventRecord>();
  const superseded: DeliveryPlan['superseded'] = [];
  for (const record of records) {
    const other = newest.get(keyOf(record));
    if (other && other.event.aggregate.version >= record.event.aggregate.version) {
      superseded.push({ record, by: other.event.aggregate.version });
      continue;
    }
    if (other) superseded.push({ record: other, by: record.event.aggregate.version });
    newest.set(keyOf(record), record);
  }
  const toSend: OutboxEventRecord[] = [];
  for (const record of newest.values()) {
    const version = current.get(keyOf(record));
    if (version !== undefined && version > record.event.aggregate.version)
      superseded.push({ record, by: version });
    else toSend.push(record);
  }
  return { toSend, superseded };
}

/** The flow's answer to a posted batch (or why there is none). */
export type FlowReply =
  | {
      ok: true;
      results: ReadonlyMap<string, EventResult>;
      httpStatus: number;
      latencyMs: number;
      requestId: string | null;
    }
  | { ok: false; error: string; httpStatus: number | null; latencyMs: number; requestId: string | null };

export interface DeliveryContext {
  flowVersion: string;
  attempt: number;
  maxAttempts: number;
  requestId: string;
}

export type SettledStatus = Extract<SyncDeliveryStatus, 'applied' | 'stale' | 'failed' | 'error'>;

export interface SettledDelivery<R extends DeliveredRecord = OutboxEventRecord> {
  /** One delivery-log entry per event of the job (superseded ones included). */
  deliveries: NewDelivery[];
  /** The outcome of each event sent, for metrics (a superseded event counts as stale). */
  outcomes: { record: R; status: SettledStatus }[];
  /** Events that exhausted their attempts. */
  deadLetters: NewDeadLetter[];
  /**
   * Sequence numbers to retry, one job per group: events the flow refused split in halves, so
   * one bad event ends up failing alone; events that never reached it stay together.
   */
  retries: number[][];
}

/**
 * What an answer means for every event of the batch. `applied` and `stale` (Directus holds that
 * version or a newer one) are done; `failed` (the flow refused the event) and `error` (no valid
 * answer: flow or network down, timed out) are retried until the last attempt, then
 * dead-lettered. A timed-out batch may still land later; the version fence in Directus keeps
 * that harmless, so it is simply retried.
 */
export function settleDelivery<R extends DeliveredRecord = OutboxEventRecord>(
  plan: DeliveryPlan<R>,
  reply: FlowReply | null,
  context: DeliveryContext,
): SettledDelivery<R> {
  const entry = (
    record: R,
    status: SyncDeliveryStatus,
    details: {
      httpStatus?: number | null;
      latencyMs?: number;
      error?: string | null;
      requestId?: string | null;
    },
  ): NewDelivery => ({
    eventId: record.event.id,
    seq: record.seq,
    aggregate: record.event.aggregate,
    flowVersion: context.flowVersion,
    attempt: context.attempt,
    status,
    httpStatus: details.httpStatus ?? null,
    latencyMs: details.latencyMs ?? 0,
    error: details.error ?? null,
    requestId: details.requestId ?? context.requestId,
  });
  const deliveries = plan.superseded.map(({ record, by }) =>
    entry(record, 'superseded', { error: `version ${by} of this ${record.event.aggregate.type} exists` }),
  );
  const outcomes: SettledDelivery<R>['outcomes'] = [];
  const failed: {
    record: R;
    status: Extract<SettledStatus, 'failed' | 'error'>;
    error: string;
  }[] = [];
  if (reply) {
    const common = { httpStatus: reply.httpStatus, latencyMs: reply.latencyMs, requestId: reply.requestId };
    for (const record of plan.toSend) {
      const result: EventResult | undefined = reply.ok
        ? (reply.results.get(record.event.id) ?? {
            id: record.event.id,
            status: 'failed',
            error: 'no result for this event',
          })
        : undefined;
      if (result?.status === 'applied' || result?.status === 'stale') {
        deliveries.push(entry(record, result.status, common));
        outcomes.push({ record, status: result.status });
        continue;
      }
      const status = result ? 'failed' : 'error';
      const error = result ? (result.error ?? 'failed') : reply.ok ? 'no result' : reply.error;
      failed.push({ record, status, error });
      deliveries.push(entry(record, status, { ...common, error }));
      outcomes.push({ record, status });
    }
  }

  const last = context.attempt >= context.maxAttempts;
  const deadLetters: NewDeadLetter[] = last
    ? failed.map(({ record, error }) => ({
        eventId: record.event.id,
        seq: record.seq,
        type: record.event.type,
        aggregate: record.event.aggregate,
        flowVersion: context.flowVersion,
        attempts: context.attempt,
        lastError: error,
        requestId: context.requestId,
      }))
    : [];
  let retries: number[][] = [];
  if (!last) {
    const refused = failed.filter((f) => f.status === 'failed').map((f) => f.record.seq);
    const unsent = failed.filter((f) => f.status === 'error').map((f) => f.record.seq);
    const half = Math.ceil(refused.length / 2);
    retries = [refused.slice(0, half), refused.slice(half), unsent].filter((group) => group.length > 0);
  }
  return { deliveries, outcomes, deadLetters, retries };
}

/** Backoff of the n-th attempt (n ≥ 2): base · 2^(n-2), capped, ±20 % jitter (`random` in [0, 1)). */
export function retryDelay(
  config: { SYNC_RETRY_BASE_MS: number; SYNC_RETRY_MAX_MS: number },
  attempt: number,
  random: () => number = Math.random,
) {
  const delay = Math.min(config.SYNC_RETRY_BASE_MS * 2 ** Math.max(0, attempt - 2), config.SYNC_RETRY_MAX_MS);
  return Math.round(delay * (0.8 + random() * 0.4));
}
