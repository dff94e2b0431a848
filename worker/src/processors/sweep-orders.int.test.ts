import { describe, expect, it } from 'vitest';
import { UnrecoverableError, Worker } from 'bullmq';
import { processOrderJobOptions, queueNames } from '@lapak/contracts';
import { createRedis } from '@lapak/core';
import { makeOrder, makeProduct, makeUser, useTestEnv, eventually, storedStatus } from '@lapak/core/testing';
import { startOrderSweeper } from '../order-workers';
import { useWorkerDeps } from '../testing/worker-harness';
import { sweepOrders } from './sweep-orders.processor';

const env = useTestEnv();
const opened = useWorkerDeps(env);

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);

describe('pending-order sweeper', () => {
  it('re-enqueues orders whose job is lost, fails exhausted and expired ones, leaves the rest', async () => {
    const deps = await opened.deps();
    const { orders } = deps.queues;
    const em = env.orm.em.fork();
    const user = await makeUser(em);
    const product = await makeProduct(em);
    const lines = [{ product, quantity: 1 }];
    const lost = await makeOrder(em, { user, lines, createdAt: secondsAgo(5) });
    const queued = await makeOrder(em, { user, lines, createdAt: secondsAgo(5) });
    const exhausted = await makeOrder(em, { user, lines, createdAt: secondsAgo(5) });
    const expired = await makeOrder(em, { user, lines, createdAt: secondsAgo(7200) });
    const fresh = await makeOrder(em, { user, lines });

    // A job that failed for good while its order stayed pending (e.g. the database was down then too).
    const connection = createRedis(deps.config.REDIS_URL, 'worker');
    const failing = new Worker(
      queueNames.orders,
      async () => {
        throw new UnrecoverableError('database unreachable');
      },
      { connection, prefix: deps.config.REDIS_PREFIX },
    );
    const failedJob = await orders.add(
      'process-order',
      { orderId: exhausted.id },
      processOrderJobOptions(exhausted.id),
    );
    await eventually('the job to fail', () => failedJob.isFailed());
    await failing.close();
    connection.disconnect();
    await orders.add('process-order', { orderId: queued.id }, processOrderJobOptions(queued.id));

    const result = await sweepOrders(
      { ...deps, redisPrefix: deps.config.REDIS_PREFIX, orders },
      { timeoutMs: 3600_000, staleAfterMs: 2000 },
    );

    expect(result).toEqual({ expired: 0, timedOut: 1, requeued: 1, failed: 1 });
    expect(await orders.getJobState(lost.id)).toBe('waiting');
    expect((await orders.getJob(lost.id))?.opts.attempts).toBe(processOrderJobOptions(lost.id).attempts);
    expect(await orders.getJobState(queued.id)).toBe('waiting');
    expect(await orders.getJobState(fresh.id)).toBe('unknown');
    expect(await storedStatus(env, lost.id)).toEqual({ status: 'pending', failure_reason: null });
    expect(await storedStatus(env, exhausted.id)).toEqual({
      status: 'failed',
      failure_reason: 'processing_failed',
    });
    expect(await storedStatus(env, expired.id)).toEqual({ status: 'failed', failure_reason: 'timed_out' });
    expect(await storedStatus(env, fresh.id)).toEqual({ status: 'pending', failure_reason: null });
    expect(await orders.getWaitingCount()).toBe(2);

    // A second sweep finds nothing more to do.
    expect(
      await sweepOrders(
        { ...deps, redisPrefix: deps.config.REDIS_PREFIX, orders },
        { timeoutMs: 3600_000, staleAfterMs: 2000 },
      ),
    ).toEqual({ expired: 0, timedOut: 0, requeued: 0, failed: 0 });
  });

  it('runs by itself on its schedule and times out an order left pending past ORDER_PENDING_TIMEOUT_MS', async () => {
    const deps = await opened.deps({ ORDER_PENDING_TIMEOUT_MS: 2000 });
    const statuses = await opened.statuses(deps.config);
    const em = env.orm.em.fork();
    const order = await makeOrder(em, {
      user: await makeUser(em),
      lines: [{ product: await makeProduct(em), quantity: 1 }],
      createdAt: secondsAgo(3),
    });

    await opened.run(deps, async (d, connection) => [await startOrderSweeper(d, connection)]);

    await eventually(
      'the order to time out',
      async () => (await storedStatus(env, order.id)).status === 'failed',
      10_000,
    );
    expect(await storedStatus(env, order.id)).toEqual({ status: 'failed', failure_reason: 'timed_out' });
    await eventually('the status message', async () =>
      statuses.events.find((e) => e.orderId === order.id && e.failureReason === 'timed_out'),
    );
    // Orders left pending by the test before time out too (same database), so at least one.
    const counted = /lapak_orders_processed_total\{status="failed",reason="timed_out"\} (\d+)/.exec(
      await deps.metrics.registry.metrics(),
    );
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(1);
  });
});
