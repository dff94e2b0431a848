import type { JobsOptions, Queue } from 'bullmq';
import type { CatalogSyncJob, EventResult, SyncDeliveryStatus } from '@lapak/contracts';
import {
  CatalogSyncRepository,
  SyncDeadLetterRepository,
  SyncDeliveryRepository,
  SyncOutboxRepository,
  type Config,
  type Logger,
  type NewDeadLetter,
  type NewDelivery,
  type Orm,
  type OutboxEventRecord,
} from '@lapak/core';
import type { SyncMetrics } from '../metrics/sync-metrics';
import { flowUrl, postBatch } from '../sync/flow-client';

export type DispatchConfig = Pick<
  Config,
  | 'N8N_URL'
  | 'WEBHOOK_SECRET'
  | 'SYNC_FLOW_VERSION'
  | 'SYNC_MAX_ATTEMPTS'
  | 'SYNC_RETRY_BASE_MS'
  | 'SYNC_RETRY_MAX_MS'
  | 'SYNC_REQUEST_TIMEOUT_MS'
>;

export interface DispatchDeps {
  config: DispatchConfig;
  orm: Orm;
  logger: Logger;
  metrics: SyncMetrics;
  /** The catalog-sync queue: retries go back into it, delayed. */
  queue: Queue;
}

export interface DispatchSummary {
  sent: number;
  applied: number;
  stale: number;
  superseded: number;
  failed: number;
  retried: number;
  deadLettered: number;
}

/** BullMQ options of a catalog-sync job (`delay` for retries). */
export const catalogSyncJobOptions = (jobId: string, delay = 0): JobsOptions => ({
  jobId,
  delay,
  // Attempts for failures of the processor itself (PostgreSQL or Redis away); event failures
  // are retried as new jobs with their own attempt count.
  attempts: 50,
  backoff: { type: 'custom' },
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

/** Backoff of the n-th attempt (n ≥ 2): base · 2^(n-2), capped, ±20 % jitter. */
export function retryDelay(
  config: Pick<DispatchConfig, 'SYNC_RETRY_BASE_MS' | 'SYNC_RETRY_MAX_MS'>,
  attempt: number,
) {
  const delay = Math.min(config.SYNC_RETRY_BASE_MS * 2 ** Math.max(0, attempt - 2), config.SYNC_RETRY_MAX_MS);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

const keyOf = (record: OutboxEventRecord) => `${record.event.aggregate.type}:${record.event.aggregate.id}`;

/**
 * Delivers one catalog-sync job: loads its events from the outbox, keeps only the newest version
 * of each aggregate (older ones, and ones PostgreSQL already has a newer version of, are
 * `superseded` and not sent), posts the rest as one signed batch to the current flow version,
 * records every event's outcome in the delivery log, and schedules a retry (with backoff) of what
 * failed, or dead-letters it after the last attempt.
 */
export async function dispatchCatalogJob(deps: DispatchDeps, job: CatalogSyncJob): Promise<DispatchSummary> {
  const { config, orm, metrics } = deps;
  const flowVersion = config.SYNC_FLOW_VERSION;
  const log = deps.logger.child({ requestId: job.requestId, attempt: job.attempt });
  const em = orm.em.fork();
  const records = await new SyncOutboxRepository(em).findBySeqs(job.seqs);

  const newest = new Map<string, OutboxEventRecord>();
  const superseded: { record: OutboxEventRecord; by: number }[] = [];
  for (const record of records) {
    const other = newest.get(keyOf(record));
    if (other && other.event.aggregate.version >= record.event.aggregate.version) {
      superseded.push({ record, by: other.event.aggregate.version });
      continue;
    }
    if (other) superseded.push({ record: other, by: record.event.aggregate.version });
    newest.set(keyOf(record), record);
  }
  const current = await new CatalogSyncRepository(em).currentVersions(
    [...newest.values()].map((record) => record.event.aggregate),
  );
  const toSend: OutboxEventRecord[] = [];
  for (const record of newest.values()) {
    const version = current.get(keyOf(record));
    if (version !== undefined && version > record.event.aggregate.version)
      superseded.push({ record, by: version });
    else toSend.push(record);
  }

  const deliveries: NewDelivery[] = [];
  const entry = (
    record: OutboxEventRecord,
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
    flowVersion,
    attempt: job.attempt,
    status,
    httpStatus: details.httpStatus ?? null,
    latencyMs: details.latencyMs ?? 0,
    error: details.error ?? null,
    requestId: details.requestId ?? job.requestId,
  });
  for (const { record, by } of superseded) {
    deliveries.push(
      entry(record, 'superseded', { error: `version ${by} of this ${record.event.aggregate.type} exists` }),
    );
  }

  const failed: { record: OutboxEventRecord; status: 'failed' | 'error'; error: string }[] = [];
  const summary: DispatchSummary = {
    sent: toSend.length,
    applied: 0,
    stale: 0,
    superseded: superseded.length,
    failed: 0,
    retried: 0,
    deadLettered: 0,
  };
  if (toSend.length > 0) {
    const answer = await postBatch({
      url: flowUrl(config.N8N_URL, flowVersion),
      secret: config.WEBHOOK_SECRET,
      events: toSend.map((record) => record.event),
      requestId: job.requestId,
      timeoutMs: config.SYNC_REQUEST_TIMEOUT_MS,
    });
    metrics.deliveryDuration.observe({ flow_version: flowVersion }, answer.latencyMs / 1000);
    if (log.isLevelEnabled('debug')) {
      // Which changes this request id carried: follow a product or category by its id and version.
      const events = toSend.map(
        ({ event }) => `${event.aggregate.type}:${event.aggregate.id}@${event.aggregate.version}`,
      );
      log.debug({ events, httpStatus: answer.httpStatus, echoed: answer.requestId }, 'catalog batch posted');
    }
    if (answer.requestId && answer.requestId !== job.requestId) {
      log.warn({ echoed: answer.requestId }, 'the flow echoed another X-Request-Id');
    }
    const common = {
      httpStatus: answer.httpStatus,
      latencyMs: answer.latencyMs,
      requestId: answer.requestId ?? job.requestId,
    };
    const answeredAt = Date.now();
    if (answer.ok) metrics.lastSuccess.set(answeredAt / 1000);
    for (const record of toSend) {
      const result: EventResult | undefined = answer.ok
        ? (answer.results.get(record.event.id) ?? {
            id: record.event.id,
            status: 'failed',
            error: 'no result for this event',
          })
        : undefined;
      if (result?.status === 'applied' || result?.status === 'stale') {
        summary[result.status]++;
        deliveries.push(entry(record, result.status, common));
        metrics.deliveries.inc({ flow_version: flowVersion, result: result.status });
        if (result.status === 'applied')
          metrics.lag.observe(Math.max(0, answeredAt - record.occurredAt.getTime()) / 1000);
        continue;
      }
      const status = result ? 'failed' : 'error';
      const error = result ? (result.error ?? 'failed') : answer.ok ? 'no result' : answer.error;
      failed.push({ record, status, error });
      deliveries.push(entry(record, status, { ...common, error }));
      metrics.deliveries.inc({ flow_version: flowVersion, result: status });
    }
  }
  for (const _ of superseded) metrics.deliveries.inc({ flow_version: flowVersion, result: 'stale' });
  summary.failed = failed.length;

  const last = job.attempt >= config.SYNC_MAX_ATTEMPTS;
  const deadLetters: NewDeadLetter[] = last
    ? failed.map(({ record, error }) => ({
        eventId: record.event.id,
        seq: record.seq,
        type: record.event.type,
        aggregate: record.event.aggregate,
        flowVersion,
        attempts: job.attempt,
        lastError: error,
        requestId: job.requestId,
      }))
    : [];
  await em.transactional(async (tx) => {
    await new SyncDeliveryRepository(tx).record(deliveries);
    await new SyncDeadLetterRepository(tx).add(deadLetters);
  });
  summary.deadLettered = deadLetters.length;

  if (!last && failed.length > 0) {
    // Events the flow refused are retried in halves, so one bad event ends up failing alone;
    // events that never reached Directus (flow or network down) stay together.
    const refused = failed.filter((f) => f.status === 'failed').map((f) => f.record.seq);
    const unsent = failed.filter((f) => f.status === 'error').map((f) => f.record.seq);
    const half = Math.ceil(refused.length / 2);
    const groups = [refused.slice(0, half), refused.slice(half), unsent].filter((group) => group.length > 0);
    const attempt = job.attempt + 1;
    const delay = retryDelay(config, attempt);
    await deps.queue.addBulk(
      groups.map((seqs) => ({
        name: 'retry',
        data: { seqs, attempt, requestId: job.requestId } satisfies CatalogSyncJob,
        opts: catalogSyncJobOptions(`${job.requestId}:${attempt}:${seqs[0]}`, delay),
      })),
    );
    summary.retried = failed.length;
    log.warn(
      { failed: failed.length, nextAttempt: attempt, delayMs: delay, error: failed[0]?.error },
      'catalog sync retry scheduled',
    );
  }
  if (deadLetters.length > 0) {
    log.error({ deadLettered: deadLetters.length, error: failed[0]?.error }, 'catalog events dead-lettered');
  }
  return summary;
}
