import { UnrecoverableError, type Job } from 'bullmq';
import { processOrderJobSchema, queueNames } from '@lapak/contracts';
import {
  MicroBatcher,
  OrderProcessingService,
  publishOrderStatus,
  toStatusEvent,
  type ChangedOrder,
  type Config,
  type Logger,
  type Orm,
  type OrderStatus,
  type Redis,
} from '@lapak/core';
import type { WorkerMetrics } from '../metrics/worker-metrics';

/** What happened to one order of a batch. */
export type OrderOutcome =
  | { kind: 'decided'; order: ChangedOrder }
  | { kind: 'already-final'; status: OrderStatus }
  | { kind: 'missing' }
  | { kind: 'error'; error: unknown };

export interface OrderProcessorDeps {
  config: Pick<Config, 'ORDER_BATCH_MAX' | 'REDIS_PREFIX'>;
  orm: Orm;
  redis: Redis;
  logger: Logger;
  metrics: WorkerMetrics;
}

const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Errors that may go away by themselves: the database or Redis unreachable or restarting,
 * too many connections, a deadlock or serialization failure. Anything else is suspected to
 * come from one order's data.
 */
export function isTransient(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (transientCodes.has(code) || /^(08|53|57P|40001|40P01)/.test(code)))
    return true;
  if (typeof name === 'string' && /Connection|Deadlock|LockWaitTimeout|Timeout/.test(name)) return true;
  return typeof message === 'string' && /connection|terminat|timeout|ECONNREFUSED/i.test(message);
}

/**
 * The `orders` queue processor. Each job hands its order id to a micro-batcher; a batch is
 * decided in one transaction (OrderProcessingService), statuses are published after the commit.
 * A batch that fails for a reason other than a transient one is split and each order decided
 * alone, so one bad order only fails its own job. A job that fails on its last attempt (or
 * unrecoverably) fails its order with `processing_failed`, so no order is silently dropped.
 */
export function createOrderProcessor(deps: OrderProcessorDeps) {
  const { orm, redis, logger, metrics, config } = deps;
  const log = logger.child({ queue: queueNames.orders });

  const record = async (changed: ChangedOrder[]) => {
    for (const order of changed) {
      metrics.ordersProcessed.inc({ status: order.status, reason: order.failureReason ?? 'none' });
      metrics.confirmLatency.observe((order.updatedAt.getTime() - order.createdAt.getTime()) / 1000);
    }
    try {
      await publishOrderStatus(redis, config.REDIS_PREFIX, changed.map(toStatusEvent));
    } catch (error) {
      // Committed already; a stream that misses the message reads the status on its next beat.
      log.warn({ err: error, orders: changed.length }, 'order status not published');
    }
  };

  const decideTogether = async (ids: string[]): Promise<Map<string, OrderOutcome>> => {
    const endTimer = metrics.batchDuration.startTimer();
    const outcome = await new OrderProcessingService(orm.em.fork()).decide(ids);
    await record(outcome.decided);
    endTimer();
    metrics.batchSize.observe(ids.length);
    const results = new Map<string, OrderOutcome>();
    for (const order of outcome.decided) results.set(order.id, { kind: 'decided', order });
    for (const [id, status] of outcome.alreadyFinal) results.set(id, { kind: 'already-final', status });
    for (const id of outcome.missing) results.set(id, { kind: 'missing' });
    return results;
  };

  const decideBatch = async (ids: string[]): Promise<Map<string, OrderOutcome>> => {
    try {
      return await decideTogether(ids);
    } catch (error) {
      if (ids.length === 1 || isTransient(error)) throw error;
      log.warn({ err: error, orders: ids.length }, 'batch failed; deciding its orders one by one');
      const results = new Map<string, OrderOutcome>();
      for (const id of ids) {
        try {
          for (const [key, value] of await decideTogether([id])) results.set(key, value);
        } catch (single) {
          results.set(id, { kind: 'error', error: single });
        }
      }
      return results;
    }
  };

  // One batch in flight per process. Batches in flight together mostly wait on each other's
  // product rows (on one hot product they run one after another anyway) and stay small; one at
  // a time, the next batch takes every order that arrived meanwhile, and each order costs less
  // CPU (measured in bench/order-processing.bench.ts). More worker processes add batches in flight.
  const batcher = new MicroBatcher<string, OrderOutcome>(decideBatch, {
    maxBatch: config.ORDER_BATCH_MAX,
    maxInFlight: 1,
    lingerMs: 2,
  });

  const giveUp = async (orderId: string, jobLog: Logger) => {
    try {
      const failed = await new OrderProcessingService(orm.em.fork()).fail([orderId], 'processing_failed');
      await record(failed);
    } catch (error) {
      jobLog.error({ err: error, orderId }, 'could not fail the order; the sweeper will');
    }
  };

  return async function processOrder(job: Job): Promise<{ status: OrderStatus; note?: string }> {
    // A child logger per job costs; made only when this job has something to say.
    const jobLog = () =>
      logger.child({
        queue: queueNames.orders,
        jobId: job.id,
        requestId: (job.data as { requestId?: unknown })?.requestId,
      });
    const parsed = processOrderJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('the job data is not a process-order payload');
    const { orderId } = parsed.data;
    const endTimer = metrics.processingDuration.startTimer();
    try {
      const outcome = await batcher.submit(orderId);
      switch (outcome.kind) {
        case 'decided':
          if (logger.isLevelEnabled('debug')) {
            jobLog().debug(
              { orderId, status: outcome.order.status, reason: outcome.order.failureReason },
              'decided',
            );
          }
          return { status: outcome.order.status };
        case 'already-final':
          jobLog().info({ orderId, status: outcome.status }, 'order no longer pending; nothing to do');
          return { status: outcome.status, note: 'already final' };
        case 'missing':
          throw new UnrecoverableError(`order ${orderId} does not exist`);
        case 'error':
          throw outcome.error;
      }
    } catch (error) {
      const lastAttempt =
        error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const log = jobLog();
      log.warn({ err: error, orderId, attempt: job.attemptsMade + 1, lastAttempt }, 'order job failed');
      if (lastAttempt) await giveUp(orderId, log);
      throw error;
    } finally {
      endTimer();
    }
  };
}
