import { Worker } from 'bullmq';
import { queueNames } from '@lapak/contracts';
import { createRedis } from '@lapak/core';
import type { WorkerDeps } from './deps';
import { startOrderWorkers } from './order-workers';
import { relayOutbox } from './processors/relay-outbox.processor';

export const OUTBOX_RELAY_EVERY_MS = 200;

/** Starts every BullMQ worker of this process; close them before the deps. */
export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const { config, logger, queues } = deps;
  const connection = createRedis(config.REDIS_URL, 'worker');
  const base = { connection, prefix: config.REDIS_PREFIX };

  await queues.outboxRelay.upsertJobScheduler(
    'outbox-relay',
    { every: OUTBOX_RELAY_EVERY_MS },
    { name: 'relay' },
  );
  const relay = new Worker(
    queueNames.outboxRelay,
    async (job) => {
      const moved = await relayOutbox(deps.orm, queues.catalogSync);
      if (moved) logger.debug({ queue: queueNames.outboxRelay, jobId: job.id, moved }, 'outbox relayed');
      return { moved };
    },
    { ...base, concurrency: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
  );

  const workers = [relay, ...(await startOrderWorkers(deps, connection))];
  for (const worker of workers) {
    worker.on('failed', (job, err) => logger.warn({ queue: worker.name, jobId: job?.id, err }, 'job failed'));
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}
