import type { JobsOptions, Queue } from 'bullmq';
import {
  retryDelay,
  type Config,
  type DeliveredRecord,
  type Logger,
  type SettledDelivery,
} from '@lapak/core';

/**
 * BullMQ options of a delivery job, catalog sync or automation (`delay` for retries). BullMQ takes
 * a custom id with ':' only when it has exactly three parts: `<request id>:<attempt>:<seq>`.
 */
export const deliveryJobOptions = (jobId: string, delay = 0): JobsOptions => ({
  jobId,
  delay,
  // Attempts for failures of the processor itself (PostgreSQL or Redis away); event failures
  // are retried as new jobs with their own attempt count.
  attempts: 50,
  backoff: { type: 'custom' },
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

export interface DeliveryCounts {
  applied: number;
  stale: number;
  failed: number;
  retried: number;
  deadLettered: number;
}

/**
 * What a delivery job does once its answer is settled and recorded: queues each group of events
 * to retry as a new job of the next attempt, after the backoff (`retryJob` makes its data), logs
 * the dead letters, and counts the outcomes.
 */
export async function followUpDelivery<
  Job extends { attempt: number; requestId: string },
  R extends DeliveredRecord,
>(
  deps: { queue: Queue; config: Pick<Config, 'SYNC_RETRY_BASE_MS' | 'SYNC_RETRY_MAX_MS'>; log: Logger },
  job: Job,
  settled: SettledDelivery<R>,
  retryJob: (seqs: number[], attempt: number) => Job,
  messages: { retried: string; deadLettered: string },
): Promise<DeliveryCounts> {
  const count = (status: string) => settled.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed') + count('error');
  const retried = settled.retries.reduce((sum, group) => sum + group.length, 0);
  if (retried > 0) {
    const attempt = job.attempt + 1;
    const delay = retryDelay(deps.config, attempt);
    await deps.queue.addBulk(
      settled.retries.map((seqs) => ({
        name: 'retry',
        data: retryJob(seqs, attempt),
        opts: deliveryJobOptions(`${job.requestId}:${attempt}:${seqs[0]}`, delay),
      })),
    );
    const error = settled.deliveries.find((d) => d.status === 'failed' || d.status === 'error')?.error;
    deps.log.warn({ failed, nextAttempt: attempt, delayMs: delay, error }, messages.retried);
  }
  if (settled.deadLetters.length > 0) {
    deps.log.error(
      { deadLettered: settled.deadLetters.length, error: settled.deadLetters[0]?.lastError },
      messages.deadLettered,
    );
  }
  return {
    applied: count('applied'),
    stale: count('stale'),
    failed,
    retried,
    deadLettered: settled.deadLetters.length,
  };
}
