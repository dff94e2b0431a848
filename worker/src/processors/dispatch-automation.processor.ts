import type { Queue } from 'bullmq';
import type { AutomationJob } from '@lapak/contracts';
import { AutomationDeliveryService, settleDelivery, type Config, type Logger, type Orm } from '@lapak/core';
import type { SyncMetrics } from '../metrics/sync-metrics';
import { followUpDelivery, type DeliveryCounts } from '../sync/delivery-follow-up';
import { postBatch, webhookUrl } from '../sync/flow-client';

export type AutomationDispatchConfig = Pick<
  Config,
  | 'N8N_URL'
  | 'WEBHOOK_SECRET'
  | 'SYNC_MAX_ATTEMPTS'
  | 'SYNC_RETRY_BASE_MS'
  | 'SYNC_RETRY_MAX_MS'
  | 'SYNC_REQUEST_TIMEOUT_MS'
>;

export interface AutomationDispatchDeps {
  config: AutomationDispatchConfig;
  orm: Orm;
  logger: Logger;
  /** The automation queue: retries go back into it, delayed. */
  queue: Queue;
  /** The catalog sync's metrics, with the flow's name as `flow_version`. */
  metrics?: Pick<SyncMetrics, 'deliveries' | 'deliveryDuration'>;
}

export interface AutomationDispatchSummary extends DeliveryCounts {
  sent: number;
}

/**
 * Delivers one automation job: the job's domain events as one signed batch to the flow's
 * webhook, the same signing, answer, delivery log, retries and dead letters as the catalog sync
 * (settleDelivery), with nothing superseded: every event is sent. The flow answers each event
 * `applied` (handled), `stale` (handled before: a redelivery) or `failed`.
 */
export async function dispatchAutomationJob(
  deps: AutomationDispatchDeps,
  job: AutomationJob,
): Promise<AutomationDispatchSummary> {
  const { config } = deps;
  const log = deps.logger.child({ requestId: job.requestId, attempt: job.attempt, flow: job.flow });
  const service = new AutomationDeliveryService(deps.orm.em.fork());
  const plan = await service.plan(job.seqs);

  const reply =
    plan.toSend.length > 0
      ? await postBatch({
          url: webhookUrl(config.N8N_URL, job.flow),
          secret: config.WEBHOOK_SECRET,
          events: plan.toSend.map((record) => record.wire),
          requestId: job.requestId,
          timeoutMs: config.SYNC_REQUEST_TIMEOUT_MS,
        })
      : null;
  const settled = settleDelivery(plan, reply, {
    flowVersion: job.flow,
    attempt: job.attempt,
    maxAttempts: config.SYNC_MAX_ATTEMPTS,
    requestId: job.requestId,
  });
  await service.record(settled);
  if (reply) deps.metrics?.deliveryDuration.observe({ flow_version: job.flow }, reply.latencyMs / 1000);
  for (const { status } of settled.outcomes) {
    deps.metrics?.deliveries.inc({ flow_version: job.flow, result: status });
  }

  const counts = await followUpDelivery(
    { ...deps, log },
    job,
    settled,
    (seqs, attempt) => ({ flow: job.flow, seqs, attempt, requestId: job.requestId }),
    { retried: 'automation delivery retry scheduled', deadLettered: 'domain events dead-lettered' },
  );
  return { sent: plan.toSend.length, ...counts };
}
