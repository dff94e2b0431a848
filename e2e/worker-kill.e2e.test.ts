/**
 * A worker process killed with SIGKILL while it holds a job delays that job by seconds, not by
 * minutes: its lock expires and another process takes the job over (worker/src/job-lock.ts).
 * Measured with the default lock settings, on real worker processes, n8n and Directus.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenService, createLogger, loadConfig, type Config } from '@lapak/core';
import { createWorkerDeps, type WorkerDeps } from '@lapak/worker/src/deps';
import { checkoutBody, makeUser, useTestEnv } from '@lapak/core/testing';
import { stopWorker, useWorkerProcesses, type WorkerProcess } from '@lapak/worker/src/testing/worker-harness';
import { cms, eventually, stackConfig, startApi, type RunningApi } from './support/stack';

const env = useTestEnv();
const shared = cms();
let config: Config;
let api: RunningApi;
/** The queues (no workers of this process take jobs from them). */
let queues: WorkerDeps;
// Registered before the hook that releases held Directus writes, so it runs after it.
const workerProcesses = useWorkerProcesses(() => config);

type Queue = WorkerDeps['queues']['orders'];
type Job = NonNullable<Awaited<ReturnType<Queue['getJob']>>>;

beforeAll(async () => {
  // The lock settings a deployment gets by default, not a test's shortened ones.
  const defaults = loadConfig({});
  config = stackConfig(env.config, { WORKER_LOCK_DURATION_MS: defaults.WORKER_LOCK_DURATION_MS });
  api = await startApi(config);
  queues = await createWorkerDeps(config, createLogger({ level: 'silent', name: 'test' }));
});
afterEach(async () => {
  await shared.directusProxy.release();
});
afterAll(async () => {
  await queues?.close();
  await api?.close();
});

function twoWorkers() {
  const start = () =>
    workerProcesses.start({
      SYNC_MAX_ATTEMPTS: '100',
      N8N_URL: config.N8N_URL,
      DIRECTUS_URL: config.DIRECTUS_URL,
    });
  return Promise.all([start(), start()]);
}

const nameOf = (worker: WorkerProcess) => `${hostname()}:${worker.child.pid}`;

/** The active job of `queue` that `pick` selects, once there is one. */
const activeJob = (queue: Queue, pick: (job: Job) => boolean) =>
  eventually('an active job', async () => (await queue.getJobs(['active'])).find(pick), 30_000, 50);

/**
 * Kills the worker that holds `job` and measures how long until another process holds it.
 * Returns the gap in milliseconds.
 */
async function killHolderAndTimeTakeover(queue: Queue, job: Job, workers: WorkerProcess[]) {
  const victim = workers.find((worker) => nameOf(worker) === job.processedBy);
  expect(victim, `the holder ${job.processedBy} is one of the workers`).toBeDefined();
  const survivor = workers.find((worker) => worker !== victim)!;
  const killedAt = Date.now();
  expect(await stopWorker(victim!, 'SIGKILL')).toBe('SIGKILL');
  await eventually(
    'the job taken over by the survivor',
    async () => {
      const now = await queue.getJob(job.id!);
      return now && now.processedBy === nameOf(survivor) && (await now.getState()) !== 'waiting';
    },
    30_000,
    50,
  );
  return Date.now() - killedAt;
}

describe('a worker killed while holding a job', () => {
  it('a catalog-sync batch is delivered again by another process within 10 s', async () => {
    const workers = await twoWorkers();
    const sku = `KILL-${randomUUID().slice(0, 8)}`;
    await shared.directusProxy.hold({ sku, version: 1 });
    const created = await api.request('POST', '/api/v1/products', {
      token: config.ADMIN_API_TOKEN,
      body: { sku, name: 'Kopi Bajawa', priceCents: 50_000, currency: 'IDR', stock: 5, status: 'published' },
    });
    expect(created.status).toBe(201);
    // The batch is mid-delivery: its flow execution is stuck writing to Directus.
    await eventually('the create held', async () => (await shared.directusProxy.held()) > 0);
    const queue = queues.queues.catalogSync;
    const job = await activeJob(queue, (j) => Boolean(j.processedBy));

    const gap = await killHolderAndTimeTakeover(queue, job, workers);
    await shared.directusProxy.release();
    process.stderr.write(`worker-kill: catalog-sync job taken over ${gap} ms after the kill\n`);
    expect(gap).toBeLessThanOrEqual(10_000);
    await eventually('the product in Directus', async () => {
      const response = await fetch(`${shared.directusUrl}/items/products/${created.body.id}`, {
        headers: { authorization: `Bearer ${shared.directusAdminToken}` },
      });
      return response.ok;
    });
  });

  it('an order is decided by another process within 10 s, exactly once', async () => {
    const workers = await twoWorkers();
    const product = await api.request('POST', '/api/v1/products', {
      token: config.ADMIN_API_TOKEN,
      body: {
        sku: `KILL-${randomUUID().slice(0, 8)}`,
        name: 'Kopi Kerinci',
        priceCents: 40_000,
        currency: 'IDR',
        stock: 5,
        status: 'published',
      },
    });
    expect(product.status).toBe(201);
    const shopper = await new TokenService(config.JWT_SECRET, 3600).issue(
      await makeUser(env.orm.em.fork(), { password: 'x' }),
    );
    // The test holds the product's row, so the holder's decision waits inside its transaction.
    const lock = new pg.Client({ connectionString: config.DATABASE_URL });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('select 1 from products where id = $1 for no key update', [product.body.id]);
      const response = await api.checkout(
        shopper,
        checkoutBody([{ productId: product.body.id, quantity: 2 }]),
      );
      expect(response.status).toBe(202);
      const order = response.body as { id: string };
      const queue = queues.queues.orders;
      const job = await activeJob(queue, (j) => j.id === order.id && Boolean(j.processedBy));

      const gap = await killHolderAndTimeTakeover(queue, job, workers);
      process.stderr.write(`worker-kill: order job taken over ${gap} ms after the kill\n`);
      expect(gap).toBeLessThanOrEqual(10_000);
      await lock.query('commit');

      const final = await eventually('the order decided', async () => {
        const res = await api.request('GET', `/api/v1/orders/${order.id}`, { token: config.ADMIN_API_TOKEN });
        return res.body.status !== 'pending' ? res.body : null;
      });
      // A bank transfer: the decision reserves the stock and the order awaits payment.
      expect(final.status).toBe('awaiting_payment');
      const after = await api.request('GET', `/api/v1/products/${product.body.id}`, {
        token: config.ADMIN_API_TOKEN,
      });
      expect(after.body.stock).toBe(3);
    } finally {
      await lock.query('rollback').catch(() => {});
      await lock.end();
    }
  });
});
