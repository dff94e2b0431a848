import type { Worker } from 'bullmq';
import { createRedis } from '@lapak/core';
import type { WorkerDeps } from './deps';
import { startOrderWorkers } from './order-workers';
import { startSyncWorkers } from './sync-workers';

/** Starts every BullMQ worker of this process; close them before the deps. */
export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const { config, logger } = deps;
  const connection = createRedis(config.REDIS_URL, 'worker');

  const sync = await startSyncWorkers(deps, connection);
  const workers = [...sync.workers, ...(await startOrderWorkers(deps, connection))];
  for (const worker of workers) {
    worker.on('failed', (job, err) => logger.warn({ queue: worker.name, jobId: job?.id, err }, 'job failed'));
  }
  return {
    workers,
    async close() {
      await sync.close();
      await Promise.all(workers.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}
