import { Queue } from 'bullmq';
import { queueNames } from '@lapak/contracts';
import { createProcessDeps, type Config, type Logger, type ProcessDeps } from '@lapak/core';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics';
import { orderSweeperQueueName } from './processors/sweep-orders.processor';

/** What the worker's processors share: one ORM, one Redis connection for producers, the queues. */
export interface WorkerDeps extends ProcessDeps {
  queues: { orders: Queue; outboxRelay: Queue; catalogSync: Queue; automation: Queue; orderSweeper: Queue };
  metrics: WorkerMetrics;
}

export async function createWorkerDeps(config: Config, logger?: Logger): Promise<WorkerDeps> {
  const base = await createProcessDeps(config, { name: 'worker', redisRole: 'worker', logger });
  const opts = { connection: base.redis, prefix: config.REDIS_PREFIX };
  const queues = {
    orders: new Queue(queueNames.orders, opts),
    outboxRelay: new Queue(queueNames.outboxRelay, opts),
    catalogSync: new Queue(queueNames.catalogSync, opts),
    automation: new Queue(queueNames.automation, opts),
    orderSweeper: new Queue(orderSweeperQueueName, opts),
  };
  const metrics = createWorkerMetrics({ orm: base.orm, queues: Object.values(queues), logger: base.logger });
  return {
    ...base,
    queues,
    metrics,
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      await base.close();
    },
  };
}
