import type { Queue } from 'bullmq';
import type { CatalogSyncJob } from '@lapak/contracts';
import {
  CatalogDeliveryService,
  renderCatalogEvent,
  schemaVersionOfFlow,
  settleDelivery,
  type Config,
  type Logger,
  type Orm,
} from '@lapak/core';
import type { SyncMetrics } from '../metrics/sync-metrics';
import { followUpDelivery, type DeliveryCounts } from '../sync/delivery-follow-up';
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

export interface DispatchSummary extends DeliveryCounts {
  sent: number;
  superseded: number;
}

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

  const counts = await followUpDelivery(
    { ...deps, log },
    job,
    settled,
    (seqs, attempt) => ({ seqs, attempt, requestId: job.requestId }),
    { retried: 'catalog sync retry scheduled', deadLettered: 'catalog events dead-lettered' },
  );
  return { sent: plan.toSend.length, superseded: plan.superseded.length, ...counts };
}
