import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createOrm,
  createRedis,
  loadConfig,
  newId,
  orderStatusChannel,
  type OrderStatusEvent,
} from '@lapak/core';
import { checkoutBody, createTemplateDatabase, dropDatabases, withDatabase } from '@lapak/core/testing';
import { sql } from 'kysely';
import { startStubFlow } from '../../worker/src/testing/stub-flow';
import {
  configEnv,
  spawnWorker,
  stopWorker,
  type WorkerProcess,
} from '../../worker/src/testing/worker-harness';
import { insertShoppers } from '../lib/shoppers';
import { insertBenchCatalog } from '../lib/variant-catalog';
import type { CatalogProduct } from './catalog';
import { JsonClient } from './http-client';
import { freePort } from '../../scripts/start/processes';
import { startChild, stopChild, waitUntil, type Child } from '../../e2e/support/child-process';
import { backendPids } from './databases';
import type { CheckoutOutcome, SystemUnderTest } from './system';

const USERS = 200;
const API_POOL = 10;
const WORKER_CONCURRENCY = 256;

/** Final status messages as they arrive, by order id; `decided` waits for one. */
class StatusWatch {
  private readonly finals = new Map<string, { at: number; status: string }>();
  private readonly waiting = new Map<string, (final: { at: number; status: string }) => void>();

  onMessage(message: string) {
    const event = JSON.parse(message) as OrderStatusEvent;
    if (event.status === 'pending') return;
    const final = { at: performance.now(), status: event.status };
    this.finals.set(event.orderId, final);
    this.waiting.get(event.orderId)?.(final);
    this.waiting.delete(event.orderId);
  }

  decided(orderId: string): Promise<{ at: number; status: string }> {
    const known = this.finals.get(orderId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.waiting.set(orderId, resolve));
  }
}

/**
 * Lapak as the checkout benchmark runs it (the API in a process of its own, `bench/checkout-server.ts`)
 * plus one order worker process (`worker/src/main.ts`), whose catalog sync delivers to a stand-in
 * for the n8n flow; in a database of its own, on a Redis prefix of its own. A checkout is one
 * `POST /api/v1/orders`, answered 202 once the order is stored and queued; the worker decides it
 * after, and the decision arrives on the order status channel (what the shopper's page waits for).
 */
export async function startLapak(options: {
  catalog: CatalogProduct[];
  log: (line: string) => void;
}): Promise<SystemUnderTest> {
  const { catalog, log } = options;
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const database = `lapak_bench_peers_${runId}`;
  const redisPrefix = `lapak-bench-peers-${runId}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: withDatabase(base.DATABASE_URL, database),
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent',
  });
  await createTemplateDatabase(base.DATABASE_URL, database);

  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
  const productIds: string[] = [];
  let tokens: string[] = [];
  try {
    const db = orm.em.fork().getKysely();
    tokens = await insertShoppers(db, USERS, base.JWT_SECRET);
    // Products without options, as the peers' are: each sold as its one variant.
    const products = await insertBenchCatalog(
      db,
      catalog.map((p) => ({
        id: newId(),
        sku: p.sku,
        name: p.name,
        priceCents: p.priceCents,
        stock: p.stock,
      })),
      1,
    );
    productIds.push(...products.map((p) => p.id));
  } finally {
    await orm.close();
  }
  log(`lapak: database ${database} seeded`);

  const redis = createRedis(config.REDIS_URL, 'worker');
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
  const subscriber = createRedis(config.REDIS_URL, 'worker');
  const watch = new StatusWatch();
  subscriber.on('message', (_: string, message: string) => watch.onMessage(message));
  await subscriber.subscribe(orderStatusChannel(redisPrefix));
  const flow = await startStubFlow();
  const forget = setInterval(() => flow.requests.splice(0), 1000);

  let api: Child | undefined;
  let worker: WorkerProcess | undefined;
  const stop = async () => {
    await stopChild(api);
    if (worker) await stopWorker(worker, 'SIGTERM');
    clearInterval(forget);
    await flow.close();
    subscriber.disconnect();
    const stream = redis.scanStream({ match: `${redisPrefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
    await dropDatabases(base.DATABASE_URL, database);
  };

  const port = await freePort();
  try {
    worker = await spawnWorker(
      configEnv(config, {
        N8N_URL: flow.url,
        LOG_LEVEL: 'info',
        WORKER_METRICS_PORT: '0',
        DATABASE_POOL_MAX: '8',
        WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      }),
      { timeoutMs: 120_000 },
    );
    api = startChild(
      'lapak api',
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', 'checkout-server.ts')],
      {
        cwd: join(import.meta.dirname, '..'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'silent',
          DATABASE_URL: config.DATABASE_URL,
          DATABASE_POOL_MAX: String(API_POOL),
          REDIS_PREFIX: redisPrefix,
          API_HOST: '127.0.0.1',
          API_PORT: String(port),
          // 200 shoppers send every checkout of the run: past a shopper's usual limit a minute.
          CHECKOUT_RATE_LIMIT_PER_USER: '1000000',
        },
      },
    );
    await waitUntil(api, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok);
  } catch (error) {
    await stop();
    throw error;
  }

  const client = new JsonClient(`http://127.0.0.1:${port}`);
  const hotId = productIds.at(-1)!;
  const databaseUrl = config.DATABASE_URL;
  return {
    name: 'Lapak',
    describe:
      `Lapak (this repository): the API (\`bench/checkout-server.ts\`, database pool ${API_POOL}) and one order ` +
      `worker (\`worker/src/main.ts\`, concurrency ${WORKER_CONCURRENCY}, pool 8, its catalog sync delivering to a ` +
      'stand-in for the n8n flow); orders paid by bank transfer, decided `awaiting_payment` (stock reserved) or `failed`',
    async processes() {
      return {
        API: [api!.process.pid!],
        worker: [worker!.child.pid!],
        PostgreSQL: await backendPids(base.DATABASE_URL, database),
        Redis: [redisPid],
      };
    },
    async checkout(lines, buyer): Promise<CheckoutOutcome> {
      try {
        const res = await client.send(
          'POST',
          '/api/v1/orders',
          checkoutBody(
            lines.map((line) => ({ productId: productIds[line.index]!, quantity: line.quantity })),
          ),
          { authorization: `Bearer ${tokens[buyer % tokens.length]}`, 'idempotency-key': newId() },
        );
        if (res.status !== 202)
          return { ok: false, refusal: `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}` };
        return { ok: true, orderId: (res.body as { id: string }).id };
      } catch (error) {
        return { ok: false, refusal: (error as Error).message };
      }
    },
    decided: (orderId) => watch.decided(orderId),
    async hotProduct() {
      const orm = await createOrm({ databaseUrl, poolMax: 1 });
      try {
        const db = orm.em.fork().getKysely();
        const sold = await sql<{ units: string | null }>`
          select sum(l.quantity) as units from order_lines l join orders o on o.id = l.order_id
           where l.product_id = ${hotId} and o.status in ('awaiting_payment', 'confirmed')`.execute(db);
        const stock = await sql<{
          stock: number;
        }>`select sum(stock)::int as stock from product_variants where product_id = ${hotId}`.execute(db);
        return { sold: Number(sold.rows[0]?.units ?? 0), stock: `stock ${stock.rows[0]?.stock}` };
      } finally {
        await orm.close();
      }
    },
    async stop() {
      client.close();
      await stop();
    },
  };
}
