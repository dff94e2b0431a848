import { Queue } from 'bullmq';
import { queueNames } from '@lapak/contracts';
import {
  createLogger,
  createOrm,
  createRedis,
  type Config,
  type Logger,
  type Orm,
  type Redis,
} from '@lapak/core';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics';
import { orderSweeperQueueName } from './processors/sweep-orders.processor';

/** What the worker's processors share: one ORM, one Redis connection for producers, the queues. */
export interface WorkerDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
  redis: Redis;
  queues: { orders: Queue; outboxRelay: Queue; catalogSync: Queue; orderSweeper: Queue };
  metrics: WorkerMetrics;
  close(): Promise<void>;
}

export async function createWorkerDeps(config: Config, logger?: Logger): Promise<WorkerDeps> {
  const log = logger ?? createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX });
  const redis = createRedis(config.REDIS_URL, 'worker');
  const opts = { connection: redis, prefix: config.REDIS_PREFIX };
  const queues = {
    orders: new Queue(queueNames.orders, opts),
    outboxRelay: new Queue(queueNames.outboxRelay, opts),
    catalogSync: new Queue(queueNames.catalogSync, opts),
    orderSweeper: new Queue(orderSweeperQueueName, opts),
  };
  const metrics = createWorkerMetrics({ orm, queues: Object.values(queues), logger: log });
  return {
    config,
    logger: log,
    orm,
    redis,
    queues,
    metrics,
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      redis.disconnect();
      await orm.close();
    },
  };
}
