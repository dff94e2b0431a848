import type { WorkerOptions } from 'bullmq';
import type { Config } from '@lapak/core';

/**
 * Lock settings of a worker whose jobs must not wait long for a killed process: BullMQ renews a
 * live worker's lock every half lock duration, and a job whose lock has expired goes back to the
 * queue at the next stall check. So a killed worker's job is taken over within the lock duration
 * plus the check interval (half the lock), however long the job itself takes.
 */
export const jobLock = (config: Pick<Config, 'WORKER_LOCK_DURATION_MS'>) =>
  ({
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: Math.max(250, Math.round(config.WORKER_LOCK_DURATION_MS / 2)),
  }) satisfies Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'>;
