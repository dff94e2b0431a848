import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { processOrderJobOptions } from '@lapak/contracts';
import type { Config, Order } from '@lapak/core';
import {
  makeOrder,
  makeProduct,
  makeUser,
  useTestEnv,
  eventually,
  storedStatus,
  storedStock,
} from '@lapak/core/testing';
import type { WorkerDeps } from '../deps';
import { startOrderWorker } from '../order-workers';
import { useWorkerDeps } from '../testing/worker-harness';

const env = useTestEnv();
const opened = useWorkerDeps(env);

/** Worker deps of the test's own with an order worker running on them. */
async function startWorker(overrides: Partial<Config> = {}): Promise<WorkerDeps> {
  const deps = await opened.deps(overrides);
  await opened.run(deps, (d, connection) => [startOrderWorker(d, connection)]);
  return deps;
}

const final = (orderId: string) =>
  eventually(`order ${orderId} to be final`, async () => {
    const row = await storedStatus(env, orderId);
    return row.status !== 'pending' && row;
  });

async function metricsText(deps: WorkerDeps) {
  return deps.metrics.registry.metrics();
}

describe('order worker', () => {
  it('decides queued orders in batches, publishes each final status and counts it', async () => {
    const deps = await startWorker();
    const statuses = await opened.statuses(deps.config);
    const em = env.orm.em.fork();
    const user = await makeUser(em);
    const product = await makeProduct(em, { stock: 3 });
    const orders: Order[] = [];
    for (let i = 0; i < 5; i++) {
      orders.push(await makeOrder(em, { user, lines: [{ product, quantity: 1 }] }));
    }

    await deps.queues.orders.addBulk(
      orders.map((o) => ({
        name: 'process-order',
        data: { orderId: o.id, requestId: `req-${o.id}` },
        opts: processOrderJobOptions(o.id),
      })),
    );

    const results = await Promise.all(orders.map((o) => final(o.id)));
    expect(results.filter((r) => r.status === 'confirmed')).toHaveLength(3);
    expect(results.filter((r) => r.failure_reason === 'out_of_stock')).toHaveLength(2);
    // The oldest three orders got the stock.
    expect(results.slice(0, 3).every((r) => r.status === 'confirmed')).toBe(true);
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 0 });

    await eventually('five status messages', async () => statuses.events.length >= 5);
    expect(statuses.events.map((e) => e.orderId).sort()).toEqual(orders.map((o) => o.id).sort());
    expect(statuses.events.find((e) => e.orderId === orders[0]!.id)).toMatchObject({
      userId: user.id,
      status: 'confirmed',
      failureReason: null,
    });

    const text = await metricsText(deps);
    expect(text).toMatch(/lapak_orders_processed_total\{status="confirmed",reason="none"\} 3/);
    expect(text).toMatch(/lapak_orders_processed_total\{status="failed",reason="out_of_stock"\} 2/);
    expect(text).toMatch(/lapak_order_processing_duration_seconds_count 5/);
    expect(text).toMatch(/lapak_order_confirm_latency_seconds_count 5/);
  });

  it('does nothing for a job whose order is no longer pending', async () => {
    const deps = await startWorker();
    const em = env.orm.em.fork();
    const product = await makeProduct(em, { stock: 5 });
    const order = await makeOrder(em, {
      user: await makeUser(em),
      lines: [{ product, quantity: 2 }],
      status: 'cancelled',
    });

    const job = await deps.queues.orders.add(
      'process-order',
      { orderId: order.id },
      processOrderJobOptions(order.id),
    );
    await eventually('the job to finish', async () => (await job.isCompleted()) || (await job.isFailed()));

    expect((await deps.queues.orders.getJob(order.id))?.returnvalue).toEqual({
      status: 'cancelled',
      note: 'already final',
    });
    expect(await storedStatus(env, order.id)).toEqual({ status: 'cancelled', failure_reason: null });
    expect(await storedStock(env, product.id)).toEqual({ stock: 5, version: 1 });
  });

  it('retries a transient database error with backoff and then confirms the order', async () => {
    const deps = await startWorker();
    const em = env.orm.em.fork();
    const product = await makeProduct(em, { stock: 5 });
    const order = await makeOrder(em, { user: await makeUser(em), lines: [{ product, quantity: 1 }] });
    // The first two stock updates of this product fail as if the database were restarting.
    const name = `flaky_${product.id.replace(/-/g, '')}`;
    await sql
      .raw(
        `create sequence ${name};
         create function ${name}() returns trigger language plpgsql as $$
         begin
           if nextval('${name}') <= 2 then
             raise exception 'the database system is shutting down' using errcode = '57P01';
           end if;
           return new;
         end $$;
         create trigger ${name} before update on products for each row
           when (new.id = '${product.id}') execute function ${name}();`,
      )
      .execute(env.db());

    await deps.queues.orders.add(
      'process-order',
      { orderId: order.id },
      { ...processOrderJobOptions(order.id), attempts: 4, backoff: { type: 'exponential', delay: 100 } },
    );

    expect(await final(order.id)).toEqual({ status: 'confirmed', failure_reason: null });
    const job = await deps.queues.orders.getJob(order.id);
    // Two failed attempts, then the one that succeeded.
    expect(job?.stacktrace).toHaveLength(2);
    expect(job?.attemptsMade).toBe(3);
    expect(await storedStock(env, product.id)).toEqual({ stock: 4, version: 2 });
  });

  it('fails an order that exhausts its retries as processing_failed, without holding back its batch', async () => {
    const deps = await startWorker();
    const statuses = await opened.statuses(deps.config);
    const em = env.orm.em.fork();
    const user = await makeUser(em);
    const good = await makeProduct(em, { stock: 10 });
    const poison = await makeProduct(em, { stock: 10 });
    const name = `poison_${poison.id.replace(/-/g, '')}`;
    await sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$
         begin raise exception 'this row cannot be written'; end $$;
         create trigger ${name} before update on products for each row
           when (new.id = '${poison.id}') execute function ${name}();`,
      )
      .execute(env.db());
    const before = await makeOrder(em, { user, lines: [{ product: good, quantity: 1 }] });
    const bad = await makeOrder(em, {
      user,
      lines: [
        { product: good, quantity: 1 },
        { product: poison, quantity: 1 },
      ],
    });
    const after = await makeOrder(em, { user, lines: [{ product: good, quantity: 1 }] });

    await deps.queues.orders.addBulk(
      [before, bad, after].map((o) => ({
        name: 'process-order',
        data: { orderId: o.id },
        opts: { ...processOrderJobOptions(o.id), attempts: 3, backoff: { type: 'exponential', delay: 50 } },
      })),
    );

    expect(await final(before.id)).toEqual({ status: 'confirmed', failure_reason: null });
    expect(await final(after.id)).toEqual({ status: 'confirmed', failure_reason: null });
    expect(await final(bad.id)).toEqual({ status: 'failed', failure_reason: 'processing_failed' });
    // The order is failed just before its job is: wait for BullMQ to record the last attempt.
    const job = await eventually('the job to fail', async () => {
      const current = await deps.queues.orders.getJob(bad.id);
      return (await current?.getState()) === 'failed' ? current : undefined;
    });
    expect(job.attemptsMade).toBe(3);
    // Decided one by one after the batch failed: one version per decision, never stock for `bad`.
    expect((await storedStock(env, good.id)).stock).toBe(8);
    expect(await storedStock(env, poison.id)).toEqual({ stock: 10, version: 1 });
    await eventually('the failure to be published', async () =>
      statuses.events.find((e) => e.orderId === bad.id && e.failureReason === 'processing_failed'),
    );
    expect(await metricsText(deps)).toMatch(
      /lapak_orders_processed_total\{status="failed",reason="processing_failed"\} 1/,
    );
  });

  it('fails a job for an order that does not exist, or with a bad payload, at once and without retries', async () => {
    const deps = await startWorker();
    const missing = '01900000-0000-7000-8000-0000000000aa';
    const gone = await deps.queues.orders.add(
      'process-order',
      { orderId: missing },
      processOrderJobOptions(missing),
    );
    const junk = await deps.queues.orders.add('process-order', { orderId: 'not-a-uuid' }, { attempts: 5 });

    for (const job of [gone, junk]) {
      await eventually('the job to fail', async () => job.isFailed());
      const failed = await deps.queues.orders.getJob(job.id!);
      expect(failed?.attemptsMade).toBe(1);
    }
    expect((await deps.queues.orders.getJob(gone.id!))?.failedReason).toMatch(/does not exist/);
    expect((await deps.queues.orders.getJob(junk.id!))?.failedReason).toMatch(/not a process-order payload/);
  });
});
