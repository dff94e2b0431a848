import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { queueNames } from '@lapak/contracts';
import type { Redis } from '@lapak/core';
import type { WorkerDeps } from './deps';
import { jobLock } from './job-lock';
import { createOrderProcessor } from './processors/process-order.processor';
import { orderSweeperQueueName, sweepOrders, sweeperTimings } from './processors/sweep-orders.processor';

/** The order worker and the pending-order sweeper. */
export async function startOrderWorkers(deps: WorkerDeps, connection: Redis): Promise<Worker[]> {
  return [startOrderWorker(deps, connection), await startOrderSweeper(deps, connection)];
}

/** The `orders` queue: WORKER_CONCURRENCY jobs at once, feeding the micro-batcher. */
export function startOrderWorker(deps: WorkerDeps, connection: Redis): Worker {
  const { config } = deps;
  return new Worker(queueNames.orders, createOrderProcessor(deps), {
    // Stored on each job it takes (`processedBy`): which process decided an order.
    name: `${hostname()}:${process.pid}`,
    connection,
    prefix: config.REDIS_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    // A process killed mid-job holds its jobs until the lock expires and the next stall check.
    ...jobLock(config),
    // Taking a job over is safe (deciding an order twice has no effect); never fail a job for it.
    maxStalledCount: 10,
  });
}

/** The order sweeper (payment deadlines, pending orders): a job scheduler, so one sweep per interval across all processes. */
export async function startOrderSweeper(deps: WorkerDeps, connection: Redis): Promise<Worker> {
  const { config, logger, queues, metrics } = deps;
  const timings = sweeperTimings(config.ORDER_PENDING_TIMEOUT_MS);
  await queues.orderSweeper.upsertJobScheduler(
    'sweep-pending-orders',
    { every: timings.everyMs },
    { name: 'sweep' },
  );
  return new Worker(
    orderSweeperQueueName,
    async (job) => {
      const result = await sweepOrders(
        { ...deps, redisPrefix: config.REDIS_PREFIX, orders: queues.orders, metrics },
        { timeoutMs: config.ORDER_PENDING_TIMEOUT_MS, staleAfterMs: timings.staleAfterMs },
      );
      if (result.expired || result.timedOut || result.requeued || result.failed) {
        logger.info({ queue: orderSweeperQueueName, jobId: job.id, ...result }, 'orders swept');
      }
      return result;
    },
    {
      connection,
      prefix: config.REDIS_PREFIX,
      concurrency: 1,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 1000 },
    },
  );
}
