import type { Queue } from 'bullmq';
import { processOrderJobOptions } from '@lapak/contracts';
import {
  OrderProcessingService,
  OrderSweeperService,
  PaymentService,
  publishOrderStatus,
  toStatusEvent,
  type ChangedOrder,
  type Orm,
  type Redis,
} from '@lapak/core';
import type { WorkerMetrics } from '../metrics/worker-metrics';

/** The queue of the sweeper's repeating job (one job per interval across all worker processes). */
export const orderSweeperQueueName = 'order-sweeper';

/** How often the sweeper runs, and how long an order may wait before its job is checked. */
export function sweeperTimings(pendingTimeoutMs: number): { everyMs: number; staleAfterMs: number } {
  const everyMs = Math.min(30_000, Math.max(250, Math.floor(pendingTimeoutMs / 10)));
  return { everyMs, staleAfterMs: everyMs };
}

export interface SweepDeps {
  orm: Orm;
  redis: Redis;
  redisPrefix: string;
  orders: Queue;
  metrics: WorkerMetrics;
}

export interface SweepResult {
  expired: number;
  timedOut: number;
  requeued: number;
  failed: number;
}

const BATCH = 1000;

/** Most payment expiries one sweep writes (in transactions of BATCH); the rest wait for the next. */
const EXPIRE_MAX = 20 * BATCH;

/**
 * One sweep. First expires the orders whose payment deadline has passed (`payment_expired`,
 * their stock given back), a batch per transaction. Then fails orders pending longer than `timeoutMs` (`timed_out`). Then looks at
 * the job of every order pending longer than `staleAfterMs`: no job (checkout could not
 * enqueue, Redis lost it) or a completed one → enqueued again; a failed one (retries exhausted
 * but the order could not be failed then) → the order fails with `processing_failed`. Orders
 * whose job is waiting, delayed or active are left to it.
 */
export async function sweepOrders(
  deps: SweepDeps,
  options: { timeoutMs: number; staleAfterMs: number },
): Promise<SweepResult> {
  const { orm, orders, metrics } = deps;
  const count = (changed: ChangedOrder[]) => {
    for (const order of changed) {
      metrics.ordersProcessed.inc({ status: order.status, reason: order.failureReason ?? 'none' });
      metrics.confirmLatency.observe((order.updatedAt.getTime() - order.createdAt.getTime()) / 1000);
    }
  };
  const publish = async (changed: ChangedOrder[]) => {
    count(changed);
    await publishOrderStatus(deps.redis, deps.redisPrefix, changed.map(toStatusEvent));
  };

  const payments = new PaymentService(orm.em.fork(), (events) =>
    publishOrderStatus(deps.redis, deps.redisPrefix, events),
  );
  let expired = 0;
  for (let batch = BATCH; batch === BATCH && expired < EXPIRE_MAX;) {
    const changed = await payments.expireDue(BATCH);
    count(changed);
    batch = changed.length;
    expired += batch;
  }

  const sweeper = new OrderSweeperService(orm.em.fork());
  const timedOut = await sweeper.timeOut(options.timeoutMs, BATCH);
  await publish(timedOut);

  const stale = await sweeper.listStale(options.staleAfterMs, BATCH);
  const states = await Promise.all(stale.map((id) => orders.getJobState(id)));
  let requeued = 0;
  const exhausted: string[] = [];
  for (const [index, id] of stale.entries()) {
    const state = states[index];
    if (state === 'failed') {
      exhausted.push(id);
    } else if (state === 'unknown' || state === 'completed') {
      if (state === 'completed') await orders.remove(id);
      await orders.add('process-order', { orderId: id }, processOrderJobOptions(id));
      requeued++;
    }
  }
  const failed = await new OrderProcessingService(orm.em.fork()).fail(exhausted, 'processing_failed');
  await publish(failed);
  return { expired, timedOut: timedOut.length, requeued, failed: failed.length };
}
