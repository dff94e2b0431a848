import type { JobsOptions, Queue } from 'bullmq';
import type { AutomationJob } from '@lapak/contracts';
import {
  AutomationDeliveryService,
  retryDelay,
  settleDelivery,
  type Config,
  type Logger,
  type Orm,
} from '@lapak/core';
import type { SyncMetrics } from '../metrics/sync-metrics';
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

export interface AutomationDispatchSummary {
  sent: number;
  applied: number;
  stale: number;
  failed: number;
  retried: number;
  deadLettered: number;
}

/**
 * BullMQ options of an automation job (`delay` for retries). BullMQ takes a custom id with ':' only
 * when it has exactly three parts: `relay:<flow>-<seq>:<request id>`, `<request id>:<attempt>:<seq>`.
 */
export const automationJobOptions = (jobId: string, delay = 0): JobsOptions => ({
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

  const count = (status: string) => settled.outcomes.filter((o) => o.status === status).length;
  const retried = settled.retries.reduce((sum, group) => sum + group.length, 0);
  if (retried > 0) {
    const attempt = job.attempt + 1;
    const delay = retryDelay(config, attempt);
    await deps.queue.addBulk(
      settled.retries.map((seqs) => ({
        name: 'retry',
        data: { flow: job.flow, seqs, attempt, requestId: job.requestId } satisfies AutomationJob,
        opts: automationJobOptions(`${job.requestId}:${attempt}:${seqs[0]}`, delay),
      })),
    );
    const error = settled.deliveries.find((d) => d.status === 'failed' || d.status === 'error')?.error;
    log.warn({ nextAttempt: attempt, delayMs: delay, error }, 'automation delivery retry scheduled');
  }
  if (settled.deadLetters.length > 0) {
    log.error(
      { deadLettered: settled.deadLetters.length, error: settled.deadLetters[0]?.lastError },
      'domain events dead-lettered',
    );
  }
  return {
    sent: plan.toSend.length,
    applied: count('applied'),
    stale: count('stale'),
    failed: count('failed') + count('error'),
    retried,
    deadLettered: settled.deadLetters.length,
  };
}
