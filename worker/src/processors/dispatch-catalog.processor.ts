import type { JobsOptions, Queue } from 'bullmq';
import type { CatalogSyncJob } from '@lapak/contracts';
import {
  CatalogDeliveryService,
  renderCatalogEvent,
  retryDelay,
  schemaVersionOfFlow,
  settleDelivery,
  type Config,
  type Logger,
  type Orm,
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

/**
 * Delivers one catalog-sync job: plans it (packages/core/src/sync/catalog-delivery.ts), posts the
 * events to send as one signed batch to the current flow version (each rendered for the event
 * schema version that flow accepts), settles the answer, records every event's outcome in the
 * delivery log with the dead letters, and queues the retries.
 */
export async function dispatchCatalogJob(deps: DispatchDeps, job: CatalogSyncJob): Promise<DispatchSummary> {
  const { config, metrics } = deps;
  const flowVersion = config.SYNC_FLOW_VERSION;
  const schemaVersion = schemaVersionOfFlow(flowVersion);
  const log = deps.logger.child({ requestId: job.requestId, attempt: job.attempt });
  const service = new CatalogDeliveryService(deps.orm.em.fork());
  const plan = await service.plan(job.seqs);

  const reply =
    plan.toSend.length > 0
      ? await postBatch({
          url: flowUrl(config.N8N_URL, flowVersion),
          secret: config.WEBHOOK_SECRET,
          // Each event as the flow of this version takes it (v1: no options or variants).
          events: plan.toSend.map((record) => renderCatalogEvent(record.event, schemaVersion)),
          requestId: job.requestId,
          timeoutMs: config.SYNC_REQUEST_TIMEOUT_MS,
        })
      : null;
  const answeredAt = Date.now();
  if (reply) {
    metrics.deliveryDuration.observe({ flow_version: flowVersion }, reply.latencyMs / 1000);
    if (reply.ok) metrics.lastSuccess.set(answeredAt / 1000);
    if (reply.requestId && reply.requestId !== job.requestId) {
      log.warn({ echoed: reply.requestId }, 'the flow echoed another X-Request-Id');
    }
    if (log.isLevelEnabled('debug')) {
      // Which changes this request id carried: follow a product or category by its id and version.
      const events = plan.toSend.map(
        ({ event }) => `${event.aggregate.type}:${event.aggregate.id}@${event.aggregate.version}`,
      );
      log.debug({ events, httpStatus: reply.httpStatus, echoed: reply.requestId }, 'catalog batch posted');
    }
  }

  const settled = settleDelivery(plan, reply, {
    flowVersion,
    attempt: job.attempt,
    maxAttempts: config.SYNC_MAX_ATTEMPTS,
    requestId: job.requestId,
  });
  for (const { record, status } of settled.outcomes) {
    metrics.deliveries.inc({ flow_version: flowVersion, result: status });
    if (status === 'applied')
      metrics.lag.observe(Math.max(0, answeredAt - record.occurredAt.getTime()) / 1000);
  }
  for (const _ of plan.superseded) metrics.deliveries.inc({ flow_version: flowVersion, result: 'stale' });
  await service.record(settled);

  const count = (status: string) => settled.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed') + count('error');
  const retried = settled.retries.reduce((sum, group) => sum + group.length, 0);
  if (retried > 0) {
    const attempt = job.attempt + 1;
    const delay = retryDelay(config, attempt);
    await deps.queue.addBulk(
      settled.retries.map((seqs) => ({
        name: 'retry',
        data: { seqs, attempt, requestId: job.requestId } satisfies CatalogSyncJob,
        opts: catalogSyncJobOptions(`${job.requestId}:${attempt}:${seqs[0]}`, delay),
      })),
    );
    const error = settled.deliveries.find((d) => d.status === 'failed' || d.status === 'error')?.error;
    log.warn({ failed, nextAttempt: attempt, delayMs: delay, error }, 'catalog sync retry scheduled');
  }
  if (settled.deadLetters.length > 0) {
    log.error(
      { deadLettered: settled.deadLetters.length, error: settled.deadLetters[0]?.lastError },
      'catalog events dead-lettered',
    );
  }
  return {
    sent: plan.toSend.length,
    applied: count('applied'),
    stale: count('stale'),
    superseded: plan.superseded.length,
    failed,
    retried,
    deadLettered: settled.deadLetters.length,
  };
}
