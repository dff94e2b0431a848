import { describe, expect, it } from 'vitest';
import { CategoryService, OrderProcessingService, createLogger, createRedis } from '@lapak/core';
import { makeOrder, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
import type { WorkerDeps } from '../deps';
import { useWorkerDeps } from '../testing/worker-harness';
import { startWorkerServer, type WorkerServer } from './worker-server';

const env = useTestEnv();
const opened = useWorkerDeps(env);

async function serve(deps: WorkerDeps, redis = deps.redis): Promise<WorkerServer> {
  const server = await startWorkerServer({
    port: 0,
    orm: deps.orm,
    redis,
    metrics: deps.metrics,
    logger: createLogger({ level: 'silent', name: 'worker' }),
  });
  opened.defer(() => server.close());
  return server;
}

const get = (server: WorkerServer, path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

describe('worker HTTP server', () => {
  it('answers /healthz and /readyz with PostgreSQL and Redis up', async () => {
    const server = await serve(await opened.deps());
    expect((await get(server, '/healthz')).status).toBe(200);
    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } });
    expect((await get(server, '/nope')).status).toBe(404);
  });

  it('says not ready when Redis does not answer', async () => {
    const deps = await opened.deps();
    const deadRedis = createRedis('redis://127.0.0.1:1', 'worker');
    deadRedis.on('error', () => {});
    opened.defer(() => deadRedis.disconnect());
    const server = await serve(deps, deadRedis);
    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', checks: { postgres: true, redis: false } });
  });

  it('serves Node and lapak_* metrics with queue depth, oldest waiting age and outbox backlog', async () => {
    const deps = await opened.deps();
    const server = await serve(deps);
    await deps.queues.orders.add(
      'process-order',
      { orderId: '01900000-0000-7000-8000-000000000001' },
      { timestamp: Date.now() - 90_000 },
    );
    await deps.queues.orders.add('process-order', { orderId: '01900000-0000-7000-8000-000000000002' });
    await new CategoryService(env.orm.em.fork()).create({ name: `Bumbu ${env.unique('c')}` });

    const response = await get(server, '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    for (const name of [
      'lapak_orders_processed_total',
      'lapak_order_processing_duration_seconds',
      'lapak_order_confirm_latency_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/^lapak_queue_jobs\{queue="orders",state="waiting"\} 2$/m);
    expect(text).toMatch(/^lapak_queue_jobs\{queue="orders",state="failed"\} 0$/m);
    const age = /^lapak_queue_oldest_waiting_age_seconds\{queue="orders"\} ([\d.]+)$/m.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(90);
    expect(Number(age?.[1])).toBeLessThan(120);
    expect(Number(/^lapak_outbox_backlog (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^lapak_outbox_oldest_age_seconds ([\d.e-]+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(0);
  });

  it("counts open orders and the last day's orders by status and payment method", async () => {
    const deps = await opened.deps();
    const server = await serve(deps);
    const em = env.orm.em.fork();
    const user = await makeUser(em);
    const product = await makeProduct(em, { stock: 10 });
    const lines = [{ product, quantity: 1 }];
    const transfers = [
      await makeOrder(em, { user, lines, paymentMethod: 'bank_transfer' }),
      await makeOrder(em, { user, lines, paymentMethod: 'bank_transfer' }),
    ];
    const cod = await makeOrder(em, { user, lines, paymentMethod: 'cash_on_delivery' });
    await makeOrder(em, { user, lines, paymentMethod: 'cash_on_delivery' });
    await new OrderProcessingService(env.orm.em.fork()).decide([...transfers.map((o) => o.id), cod.id]);

    const text = await (await get(server, '/metrics')).text();
    expect(text).toMatch(
      /^lapak_orders_open\{status="awaiting_payment",payment_method="bank_transfer"\} 2$/m,
    );
    expect(text).toMatch(/^lapak_orders_open\{status="pending",payment_method="cash_on_delivery"\} 1$/m);
    expect(text).not.toMatch(/^lapak_orders_open\{status="confirmed"/m);
    expect(text).toMatch(
      /^lapak_orders_last_day\{status="confirmed",payment_method="cash_on_delivery"\} 1$/m,
    );
    expect(text).toMatch(
      /^lapak_orders_last_day\{status="awaiting_payment",payment_method="bank_transfer"\} 2$/m,
    );
  });
});
