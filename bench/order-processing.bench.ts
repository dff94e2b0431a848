/**
 * Order processing, end to end: orders stored pending by the checkout's own statement and queued
 * with the checkout's job, decided by real worker processes (`worker/src/main.ts`), timed until each order's
 * final status arrives on the status channel (what the shopper's page sees).
 *
 *   1. throughput, mixed products: a burst of orders of 1–3 lines over 1,000 products
 *   2. throughput, one hot product: a burst of one-line orders for the same product
 *   3. latency at half the measured maximum (mixed also at a tenth): orders stored and queued at
 *      a steady rate, from just before an order is stored to its final status message, p50/p95/p99
 *   4. the same bursts against the baseline worker (one order per transaction, SELECT then
 *      UPDATE), and a contention check on a product with little stock for both
 *
 * Runs on its own database and Redis prefix, removed afterwards. Durable commits (the server's
 * synchronous_commit, normally on; printed). Knobs: BENCH_WORKERS (processes, default 2),
 * BENCH_ORDERS (burst size, default 10000), BENCH_SECONDS (latency run, default 10),
 * BENCH_WORKER_CONCURRENCY (default 256), BENCH_WORKER_POOL (database pool per worker, default 8),
 * BENCH_WORKER_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_QUICK=1 (see
 * below), BENCH_RECORD=0 (print the docs/benchmarks.md section without writing it).
 *
 *   source scripts/toolchain.sh && node_modules/.bin/tsx bench/order-processing.bench.ts
 */
import { loadavg, type as osType, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { processOrderJobOptions, queueNames } from '@lapak/contracts';
import {
  createOrm,
  createRedis,
  loadConfig,
  newId,
  orderStatusChannel,
  type Orm,
  type OrderStatusEvent,
  type Redis,
} from '@lapak/core';
import {
  createTemplateDatabase,
  dropDatabases,
  withDatabase,
  OrderRepository,
  sampleShippingAddress,
} from '@lapak/core/testing';
import { startStubFlow } from '../worker/src/testing/stub-flow';
import { configEnv, spawnWorker, stopWorker, type WorkerProcess } from '../worker/src/testing/worker-harness';
import { writeBenchmarkSection } from './lib/benchmarks-doc';
import { insertBenchCatalog, type BenchProduct } from './lib/variant-catalog';
import { knob } from './lib/knobs';
import { describeMachine } from './lib/machine';
import {
  cpuSample,
  cpuSeconds,
  cpuSpent,
  postgresBackends,
  roundTripCosts,
  totalCpuSeconds,
} from './lib/cpu';

const WORKERS = knob('BENCH_WORKERS', 2);
/** Variants per product (1: products without options); every line names one. */
const VARIANTS = knob('BENCH_VARIANTS', 3);
const BURST = knob('BENCH_ORDERS', 10_000);
const LATENCY_SECONDS = knob('BENCH_SECONDS', 10);
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '256';
/** BENCH_QUICK=1: no contention check, no baseline, nothing recorded (for profiling and tuning). */
const QUICK = process.env.BENCH_QUICK === '1';
const PRODUCTS = 1000;
const loadAtStart = loadavg()[0]!;
const USERS = 200;

const base = loadConfig();
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const database = `lapak_bench_${runId}`;
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(base.DATABASE_URL, database),
  DATABASE_POOL_MAX: '20',
  REDIS_PREFIX: `lapak-bench-${runId}`,
  LOG_LEVEL: 'silent',
});
/** The worker processes' environment; N8N_URL points at a stand-in flow that applies every event. */
const workerEnv = (flowUrl: string) =>
  configEnv(config, {
    N8N_URL: flowUrl,
    LOG_LEVEL: 'info',
    WORKER_METRICS_PORT: '0',
    DATABASE_POOL_MAX: process.env.BENCH_WORKER_POOL ?? '8',
    WORKER_CONCURRENCY,
    // Far beyond the runs: the sweeper must not time anything out while a backlog drains.
    ORDER_PENDING_TIMEOUT_MS: String(3_600_000),
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the workers.
    ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
  });
const baselineScript = fileURLToPath(new URL('./order-processing/baseline-worker.ts', import.meta.url));

const began = performance.now();
const log = (line: string) =>
  process.stdout.write(
    `${line ? `[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ` : ''}${line}\n`,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Final status messages as they arrive, by order id, with the arrival time. */
class StatusWatch {
  readonly finals = new Map<string, { at: number; status: string }>();
  private waiters: { ids: Set<string>; resolve: () => void }[] = [];

  onMessage(message: string) {
    const event = JSON.parse(message) as OrderStatusEvent;
    if (event.status === 'pending') return;
    this.finals.set(event.orderId, { at: performance.now(), status: event.status });
    this.waiters = this.waiters.filter((waiter) => {
      waiter.ids.delete(event.orderId);
      if (waiter.ids.size > 0) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves when every id has a final status (or throws after `timeoutMs`). */
  async all(ids: string[], timeoutMs = 300_000): Promise<void> {
    const open = new Set(ids.filter((id) => !this.finals.has(id)));
    if (open.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.push({ ids: open, resolve })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${open.size} orders not final after ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Seed {
  users: string[];
  products: BenchProduct[];
  hot: BenchProduct;
}

async function seed(orm: Orm): Promise<Seed> {
  const db = orm.em.fork().getKysely();
  const users = Array.from({ length: USERS }, () => newId());
  await sql`
    insert into users (id, email, name, password_hash)
    select id, 'bench-' || id || '@example.test', 'Bench shopper', 'x' from unnest(${users}::uuid[]) as u(id)
  `.execute(db);
  const make = (i: number, stock: number) => ({
    id: newId(),
    sku: `BENCH-${i}`,
    name: `Bench ${i}`,
    priceCents: 1000 + i,
    stock,
  });
  const rows = [
    ...Array.from({ length: PRODUCTS }, (_, i) => make(i, 1_000_000)),
    make(PRODUCTS, 100_000_000),
  ];
  const products = await insertBenchCatalog(db, rows, VARIANTS);
  return { users, products: products.slice(0, PRODUCTS), hot: products[PRODUCTS]! };
}

type Cart = { product: BenchProduct; quantity: number }[];

/** One of the product's variants, at random: each line names the variant it buys. */
const anyVariant = (product: BenchProduct) =>
  product.variantIds[Math.floor(Math.random() * product.variantIds.length)]!;

/**
 * Stores orders as pending exactly as checkout does: the checkout's own statement
 * (`OrderRepository.insertCheckouts`, the `checkout_orders` function: lines checked against the
 * catalog, idempotency records, orders and lines, one round trip and one commit), at most
 * CHECKOUT_BATCH_MAX orders a statement, as the API's checkout batcher sends them. No jobs yet.
 */
/** Orders go to the shoppers in turn across every store, so each holds a share of the open orders. */
let nextShopper = 0;

async function storeOrders(orm: Orm, seedData: Seed, carts: Cart[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < carts.length; start += config.CHECKOUT_BATCH_MAX) {
    const checkouts = carts.slice(start, start + config.CHECKOUT_BATCH_MAX).map((cart) => {
      const userId = seedData.users[nextShopper++ % USERS]!;
      return {
        id: newId(),
        userId,
        lines: cart.map((line) => ({
          productId: line.product.id,
          variantId: anyVariant(line.product),
          quantity: line.quantity,
        })),
        shippingAddress: sampleShippingAddress,
        paymentMethod: 'bank_transfer' as const,
        key: { userId, key: newId(), requestHash: 'bench' },
      };
    });
    const stored = await new OrderRepository(orm.em.fork()).insertCheckouts(checkouts);
    const refused = stored.filter((result) => result.status !== 'created').length;
    if (refused > 0) throw new Error(`${refused} of ${checkouts.length} checkouts were not stored`);
    ids.push(...checkouts.map((checkout) => checkout.id));
  }
  return ids;
}

async function enqueue(queue: Queue, ids: string[]) {
  for (let start = 0; start < ids.length; start += 1000) {
    await queue.addBulk(
      ids.slice(start, start + 1000).map((orderId) => ({
        name: 'process-order',
        data: { orderId },
        opts: processOrderJobOptions(orderId),
      })),
    );
  }
}

const mixedCart = (seedData: Seed): Cart => {
  const count = 1 + Math.floor(Math.random() * 3);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(Math.random() * PRODUCTS));
  return [...chosen].map((k) => ({
    product: seedData.products[k]!,
    quantity: 1 + Math.floor(Math.random() * 3),
  }));
};
const hotCart = (seedData: Seed): Cart => [{ product: seedData.hot, quantity: 1 }];

/**
 * Vacuums and analyzes the benchmark's database, as autovacuum keeps a database that has been
 * running for more than a minute. The runs are seconds long on a database made just before them:
 * without it every plan would be made without statistics (a few products estimated `published`,
 * an outbox estimated mostly unrelayed), which a running system never sees.
 */
async function settle(orm: Orm) {
  await sql`vacuum analyze`.execute(orm.em.fork().getKysely());
}

/** CPU milliseconds per order in each process involved. */
export interface CpuPerOrder {
  workers: number;
  postgres: number;
  redis: number;
  bench: number;
}

/**
 * CPU time spent during a phase by the worker processes, the PostgreSQL backends serving the
 * benchmark's database, the Redis server (shared with anything else using it) and this process.
 */
class CpuMeter {
  constructor(
    private readonly workers: WorkerProcess[],
    private readonly redisPid: number,
    private readonly orm: Orm,
  ) {}

  async sample() {
    return {
      workers: totalCpuSeconds(this.workers.map((worker) => worker.child.pid!)),
      postgres: cpuSample(await postgresBackends(this.orm, database)),
      redis: cpuSeconds(this.redisPid),
      bench: process.cpuUsage(),
    };
  }

  async perOrder(before: Awaited<ReturnType<CpuMeter['sample']>>, orders: number): Promise<CpuPerOrder> {
    const after = await this.sample();
    const bench = process.cpuUsage(before.bench);
    const ms = (seconds: number) => (seconds * 1000) / Math.max(1, orders);
    return {
      workers: ms(after.workers - before.workers),
      postgres: ms(cpuSpent(before.postgres, after.postgres)),
      redis: ms(after.redis - before.redis),
      bench: ms((bench.user + bench.system) / 1e6),
    };
  }
}

/**
 * A burst of N orders, end to end: stored and queued as fast as one producer goes (as checkout
 * would, a batch at a time) while the workers decide them; from the first store to the last
 * final status, so the maximum is measured with the same work per order as the steady runs.
 */
async function burst(
  orm: Orm,
  queue: Queue,
  watch: StatusWatch,
  seedData: Seed,
  cart: (s: Seed) => Cart,
  n: number,
  meter?: CpuMeter,
) {
  const carts = Array.from({ length: n }, () => cart(seedData));
  const cpuBefore = await meter?.sample();
  const started = performance.now();
  // Stored and queued a checkout batch at a time as fast as they go, while the workers decide.
  const ids: string[] = [];
  for (let start = 0; start < n; start += config.CHECKOUT_BATCH_MAX) {
    const chunk = await storeOrders(orm, seedData, carts.slice(start, start + config.CHECKOUT_BATCH_MAX));
    await enqueue(queue, chunk);
    ids.push(...chunk);
  }
  await watch.all(ids);
  const last = Math.max(...ids.map((id) => watch.finals.get(id)!.at));
  const cpu = meter && cpuBefore ? await meter.perOrder(cpuBefore, n) : undefined;
  return { ordersPerSecond: n / ((last - started) / 1000), seconds: (last - started) / 1000, cpu };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Orders arriving at `rate` per second for LATENCY_SECONDS: every 10 ms the orders due are
 * stored and queued the way the bursts are (so the producer costs the same as at full load);
 * latency is from just before an order is stored to its final status message.
 */
async function steady(
  orm: Orm,
  queue: Queue,
  watch: StatusWatch,
  seedData: Seed,
  cart: (s: Seed) => Cart,
  rate: number,
  meter?: CpuMeter,
) {
  const started = new Map<string, number>();
  const cpuBefore = await meter?.sample();
  const inFlight: Promise<void>[] = [];
  const tickMs = 10;
  const ticks = (LATENCY_SECONDS * 1000) / tickMs;
  const begin = performance.now();
  let owed = 0;
  for (let tick = 0; tick < ticks; tick++) {
    owed += (rate * tickMs) / 1000;
    const due = Math.floor(owed);
    owed -= due;
    if (due > 0) {
      const t0 = performance.now();
      inFlight.push(
        storeOrders(
          orm,
          seedData,
          Array.from({ length: due }, () => cart(seedData)),
        ).then(async (ids) => {
          for (const id of ids) started.set(id, t0);
          await enqueue(queue, ids);
        }),
      );
    }
    const next = begin + (tick + 1) * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
  const ids = [...started.keys()];
  await watch.all(ids);
  const cpu = meter && cpuBefore ? await meter.perOrder(cpuBefore, ids.length) : undefined;
  const latencies = ids.map((id) => watch.finals.get(id)!.at - started.get(id)!).sort((a, b) => a - b);
  // The same, by the database clock: stored (created_at) to decided (updated_at).
  const { rows } = await sql<{ ms: number }>`
    select extract(epoch from updated_at - created_at)::float8 * 1000 as ms
      from orders where id = any(${ids}::uuid[]) order by 1`.execute(orm.em.fork().getKysely());
  const dbLatencies = rows.map((row) => row.ms);
  return {
    dbP50: percentile(dbLatencies, 50),
    dbP95: percentile(dbLatencies, 95),
    orders: ids.length,
    achievedRate: ids.length / LATENCY_SECONDS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu,
  };
}

/** Many orders for a product with little stock: how many units were promised, against the stock. */
async function contention(orm: Orm, queue: Queue, watch: StatusWatch, seedData: Seed) {
  const db = orm.em.fork().getKysely();
  const perVariant = Math.floor(500 / VARIANTS);
  const initial = perVariant * VARIANTS;
  const [scarce] = await insertBenchCatalog(
    db,
    [{ id: newId(), sku: `SCARCE-${Date.now()}`, name: 'Scarce', priceCents: 100, stock: perVariant }],
    VARIANTS,
  );
  const ids = await storeOrders(
    orm,
    seedData,
    Array.from({ length: 2000 }, () => [{ product: scarce!, quantity: 1 }]),
  );
  await enqueue(queue, ids);
  await watch.all(ids);
  // Units promised, and units left in the variants (the stock a decision reads).
  const { rows } = await sql<{ confirmed: number; stock: number }>`
    select (select coalesce(sum(l.quantity), 0)::int from order_lines l join orders o on o.id = l.order_id
             where o.status in ('awaiting_payment', 'confirmed') and l.product_id = ${scarce!.id}) as confirmed,
           (select sum(stock)::int from product_variants where product_id = ${scarce!.id}) as stock`.execute(
    db,
  );
  const { confirmed, stock } = rows[0]!;
  return { initial, confirmedUnits: confirmed, finalStock: stock, oversold: confirmed + stock - initial };
}

/** Batch sizes and times from the workers' own metrics, per phase (differences between reads). */
class BatchStats {
  private last = { count: 0, orders: 0, seconds: 0 };
  constructor(private readonly workers: WorkerProcess[]) {}

  async since(): Promise<{ batches: number; meanBatchSize: number; meanBatchMs: number }> {
    const now = { count: 0, orders: 0, seconds: 0 };
    for (const worker of this.workers) {
      const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? 0);
      now.count += value('lapak_order_batch_size_count');
      now.orders += value('lapak_order_batch_size_sum');
      now.seconds += value('lapak_order_batch_duration_seconds_sum');
    }
    const batches = now.count - this.last.count;
    const result = {
      batches,
      meanBatchSize: batches ? (now.orders - this.last.orders) / batches : 0,
      meanBatchMs: batches ? ((now.seconds - this.last.seconds) * 1000) / batches : 0,
    };
    this.last = now;
    return result;
  }
}

const describeBatches = (b: { batches: number; meanBatchSize: number; meanBatchMs: number }) =>
  `${b.batches} batches, mean ${b.meanBatchSize.toFixed(1)} orders in ${b.meanBatchMs.toFixed(1)} ms`;
const describeCpu = (cpu: CpuPerOrder) =>
  `CPU ms/order: workers ${cpu.workers.toFixed(2)}, PostgreSQL ${cpu.postgres.toFixed(2)}, ` +
  `Redis ${cpu.redis.toFixed(2)}, bench ${cpu.bench.toFixed(2)}`;
const describeBurst = (b: {
  ordersPerSecond: number;
  cpu?: CpuPerOrder;
  batches?: number;
  meanBatchSize?: number;
  meanBatchMs?: number;
}) =>
  `${b.ordersPerSecond.toFixed(0)} orders/s` +
  (b.batches !== undefined ? ` (${describeBatches(b as Parameters<typeof describeBatches>[0])})` : '') +
  (b.cpu ? `; ${describeCpu(b.cpu)}` : '');
const describeSteady = (l: Awaited<ReturnType<typeof steady>> & Parameters<typeof describeBatches>[0]) =>
  `latency at ${l.achievedRate.toFixed(0)}/s: p50 ${l.p50.toFixed(1)} p95 ${l.p95.toFixed(1)} p99 ${l.p99.toFixed(1)} ms ` +
  `(database clock p50 ${l.dbP50.toFixed(1)} p95 ${l.dbP95.toFixed(1)} ms; ${describeBatches(l)})` +
  (l.cpu ? `; ${describeCpu(l.cpu)}` : '');

async function withWorkers<T>(
  env: NodeJS.ProcessEnv,
  script: string | undefined,
  work: (workers: WorkerProcess[]) => Promise<T>,
): Promise<T> {
  const workers: WorkerProcess[] = [];
  try {
    const started = await Promise.allSettled(
      Array.from({ length: WORKERS }, () => spawnWorker(env, { script, timeoutMs: 120_000 })),
    );
    for (const result of started) if (result.status === 'fulfilled') workers.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return await work(workers);
  } finally {
    await Promise.all(workers.map((worker) => stopWorker(worker, 'SIGTERM')));
    log('workers stopped');
  }
}

async function machine(orm: Orm, redis: Redis) {
  const db = orm.em.fork().getKysely();
  const pg = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v;
  const sync = (await sql<{ v: string }>`select current_setting('synchronous_commit') as v`.execute(db))
    .rows[0]!.v;
  const fsync = (await sql<{ v: string }>`select current_setting('fsync') as v`.execute(db)).rows[0]!.v;
  const info = await redis.info('server');
  return {
    machine: describeMachine(),
    os: `${osType()} ${release()}`,
    node: process.version,
    postgres: pg,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '?',
    synchronousCommit: sync,
    fsync,
  };
}

const r = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;
const us = (n: number) => `${n.toFixed(0)} µs`;
const met = (ok: boolean) => (ok ? 'met' : 'not met');

interface Report {
  date: string;
  machine: Awaited<ReturnType<typeof machine>>;
  setup: { workerProcesses: number; workerConcurrency: number; burst: number; baselineBurst: number };
  roundTrips: Awaited<ReturnType<typeof roundTripCosts>>;
  lapak: {
    mixed: { ordersPerSecond: number; meanBatchSize: number; meanBatchMs: number; cpu?: CpuPerOrder };
    hot: { ordersPerSecond: number; meanBatchSize: number; meanBatchMs: number; cpu?: CpuPerOrder };
    mixedLatency: Awaited<ReturnType<typeof steady>> & { meanBatchSize: number; meanBatchMs: number };
    lowLatency: Awaited<ReturnType<typeof steady>> & { meanBatchSize: number; meanBatchMs: number };
    hotLatency: Awaited<ReturnType<typeof steady>> & { meanBatchSize: number; meanBatchMs: number };
    scarce: Awaited<ReturnType<typeof contention>>;
  };
  baseline: {
    mixed: { ordersPerSecond: number; cpu?: CpuPerOrder };
    hot: { ordersPerSecond: number; cpu?: CpuPerOrder };
    scarce: Awaited<ReturnType<typeof contention>>;
  };
  ratio: { mixed: number; hot: number };
}

const cpuCell = (cpu?: CpuPerOrder) =>
  cpu ? `${cpu.workers.toFixed(2)} / ${cpu.postgres.toFixed(2)} / ${cpu.redis.toFixed(2)}` : '';

/** The docs/benchmarks.md section for one run. */
function section(report: Report, loadStart: number, loadEnd: number): string {
  const { lapak, baseline, machine: env, setup } = report;
  const latencyRow = (name: string, l: Report['lapak']['mixedLatency']) =>
    `| ${name} at ${r(l.achievedRate)}/s: order→final p50 / p95 / p99 | ${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} ` +
    `(database clock, stored→decided: p50 ${ms(l.dbP50)}, p95 ${ms(l.dbP95)}; mean batch ${l.meanBatchSize.toFixed(1)} ` +
    `orders in ${ms(l.meanBatchMs)}) | | |`;
  const cpuOf = (cpu?: CpuPerOrder) => (cpu ? cpu.workers + cpu.postgres + cpu.redis : NaN);
  const mixedCpu = cpuOf(lapak.mixed.cpu);
  const hotCpu = cpuOf(lapak.hot.cpu);
  const p95 = Math.max(lapak.mixedLatency.p95, lapak.hotLatency.p95);
  /** Cores busy in workers, PostgreSQL, Redis and the benchmark process (checkout's and n8n's stand-in). */
  const cores = (cpu: CpuPerOrder | undefined, rate: number) =>
    cpu ? (((cpu.workers + cpu.postgres + cpu.redis + cpu.bench) * rate) / 1000).toFixed(1) : '?';
  return `## Order processing (\`bench/order-processing.bench.ts\`)

Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${env.machine}; PostgreSQL ${env.postgres.split(' ')[0]}
(synchronous_commit ${env.synchronousCommit}, fsync ${env.fsync}: durable commits), Redis ${env.redis}, ${setup.workerProcesses} worker
processes (\`worker/src/main.ts\`, concurrency ${setup.workerConcurrency} each, their catalog sync delivering the stock changes
to a stand-in for the n8n flow in the benchmark process) and the load generator all on this machine.
1-minute load average ${loadStart.toFixed(1)} when the run started and ${loadEnd.toFixed(1)} when it ended: other engineers' test
runs share the 2 cores, so absolute figures move from run to run; the ratio to the baseline measured in the same run is the
figure to compare.

Orders are bank transfers, stored \`pending\` by the checkout's own statement (\`checkout_orders\`: lines checked, idempotency records,
orders and lines, one round trip) and queued with the checkout's job (id = order id, same options), in bulk (the API itself is not in this benchmark),
and timed until their decision's status message (\`awaiting_payment\`, stock reserved, or \`failed\`) arrives on the status channel, as the shopper's page sees it. Throughput, end to
end: a burst of ${r(setup.burst)} orders (baseline: ${r(setup.baselineBurst)}) stored and queued ${config.CHECKOUT_BATCH_MAX} at a time (one checkout batch) as fast as one producer
goes while the workers decide them, from the first store to the last final status (so the maximum carries the same work per
order as the latency runs); mixed = 1–3 lines over ${r(PRODUCTS)} products, hot = one line of the same product. ${VARIANTS > 1 ? `Every product has ${VARIANTS} variants (one option) and each line names one of them at random, so stock is taken per variant under the product's lock.` : 'Products have no options (one variant each).'} Latency: orders
stored and queued at half the measured throughput (mixed also at a tenth) for ${LATENCY_SECONDS} s each, from just before each
order is stored to its final status. After the warm-up the database is vacuumed and analyzed, as autovacuum keeps one that has
run for more than a minute (the runs are seconds long on a database made for them).

| | Lapak (batched, locked in id order, conditional UPDATE) | baseline (1 order per transaction, SELECT then UPDATE) | ratio |
|---|---:|---:|---:|
| mixed products, orders/s | ${r(lapak.mixed.ordersPerSecond)} (mean batch ${lapak.mixed.meanBatchSize.toFixed(1)}) | ${r(baseline.mixed.ordersPerSecond)} | ${report.ratio.mixed.toFixed(1)}× |
| one hot product, orders/s | ${r(lapak.hot.ordersPerSecond)} (mean batch ${lapak.hot.meanBatchSize.toFixed(1)}) | ${r(baseline.hot.ordersPerSecond)} | ${report.ratio.hot.toFixed(1)}× |
${latencyRow('mixed', lapak.mixedLatency)}
${latencyRow('hot', lapak.hotLatency)}
${latencyRow('mixed, a tenth of the maximum,', lapak.lowLatency)}
| 2,000 one-unit orders for ${lapak.scarce.initial} units: units promised / oversold | ${lapak.scarce.confirmedUnits} / ${lapak.scarce.oversold} | ${baseline.scarce.confirmedUnits} / ${baseline.scarce.oversold} | |
| CPU ms per order, mixed burst: workers / PostgreSQL / Redis | ${cpuCell(lapak.mixed.cpu)} | ${cpuCell(baseline.mixed.cpu)} | |
| CPU ms per order, hot burst: workers / PostgreSQL / Redis | ${cpuCell(lapak.hot.cpu)} | ${cpuCell(baseline.hot.cpu)} | |
| CPU ms per order, mixed at half / a tenth of the maximum: workers / PostgreSQL / Redis | ${cpuCell(lapak.mixedLatency.cpu)} / ${cpuCell(lapak.lowLatency.cpu)} | | |

Goals: ≥ 1,000 orders/s mixed — ${met(lapak.mixed.ordersPerSecond >= 1000)} (${r(lapak.mixed.ordersPerSecond)}/s); ≥ 1,000
orders/s on one hot product — ${met(lapak.hot.ordersPerSecond >= 1000)} (${r(lapak.hot.ordersPerSecond)}/s); p95 ≤ 50 ms at half
load — ${met(p95 <= 50)} (mixed ${ms(lapak.mixedLatency.p95)}, hot ${ms(lapak.hotLatency.p95)}).

What limits it: an order (stored, queued, decided, its status published, its stock change synced) cost ${mixedCpu.toFixed(2)} ms of
CPU mixed and ${hotCpu.toFixed(2)} ms hot in the workers, PostgreSQL and Redis together in the bursts (rows above; the benchmark
process, standing in for checkout and for n8n, not counted). The largest part of the workers' share is BullMQ's, one job per
order (add, fetch, complete: three Lua scripts in Redis and their client work); PostgreSQL's and the catalog sync's shares
fall as batches grow. The cores are as busy at half the rate as in the burst: ${cores(lapak.mixed.cpu, lapak.mixed.ordersPerSecond)} of 2 cores
in the mixed burst, ${cores(lapak.mixedLatency.cpu, lapak.mixedLatency.achievedRate)} at half its rate and ${cores(lapak.lowLatency.cpu, lapak.lowLatency.achievedRate)} at a tenth (workers, PostgreSQL, Redis and the benchmark process).
Each worker starts its next batch the moment the last one ends, so when orders come slower batches get smaller and each costs
its statements, commit, status message and share of sync delivery for fewer orders, until the cores are full again: a full
machine at any rate, and an order waits for cores behind the hand-offs of the orders before it (its insert and commit, the
enqueue, the job fetch, the decision's one reading and one writing statement, the status message). A hand-off costs far more
when its process has gone to sleep first, which is what happens between orders below saturation: measured in the same run, a
Redis round trip cost ${us(report.roundTrips.busy.client)} of CPU in the client and ${us(report.roundTrips.busy.server)} in Redis back to back, and
${us(report.roundTrips.idleBetween.client)} and ${us(report.roundTrips.idleBetween.server)} with the client idle for 2 ms before each (its timer included), ${(
    (report.roundTrips.idleBetween.client + report.roundTrips.idleBetween.server) /
    (report.roundTrips.busy.client + report.roundTrips.busy.server)
  ).toFixed(1)}× as much. Every process an
order passes through (the producer, Redis, a PostgreSQL backend per statement, a worker) pays that on each wake-up, so the CPU
an order costs grows as the load falls. Latency at half load is set by that, not by the decision itself, which takes ${ms(lapak.mixedLatency.meanBatchMs)} per batch at that rate. The decision holds no lock between statements: the batch is read without locks, decided in code, and
written by one statement (\`apply_order_decisions\`) that locks its orders and products in id order, checks the decisions
against them and writes nothing if the catalog moved meanwhile (the batch is then read again).

The baseline (\`bench/order-processing/baseline-worker.ts\`) is what the systems Lapak replaces do: one order per
transaction, each line's stock read with a plain SELECT, checked in code and written back; same queue, jobs, outbox
events and status messages (it runs no catalog sync, which favours it). It is not safe under concurrency: the oversell row shows what it does to scarce stock.
CPU per order is the CPU time of the worker processes, of the PostgreSQL backends serving the benchmark's database and of
the Redis server (which other work on the machine also uses) during the burst, divided by the orders in it.`;
}

async function main() {
  log(
    `order-processing bench: ${WORKERS} worker processes, bursts of ${BURST}, ${LATENCY_SECONDS} s latency runs`,
  );
  await createTemplateDatabase(base.DATABASE_URL, database);
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX });
  // The bursts leave many orders of each shopper open at once: past a shop's usual cap.
  await sql`update shop_settings set max_open_orders_per_user = 1000`.execute(orm.em.fork().getKysely());
  const redis = createRedis(config.REDIS_URL, 'worker');
  const subscriber = createRedis(config.REDIS_URL, 'worker');
  const queue = new Queue(queueNames.orders, { connection: redis, prefix: config.REDIS_PREFIX });
  const watch = new StatusWatch();
  subscriber.on('message', (_: string, message: string) => watch.onMessage(message));
  await subscriber.subscribe(orderStatusChannel(config.REDIS_PREFIX));
  // The workers' catalog sync delivers the stock changes to a stand-in for the n8n flow that
  // answers every event applied (requests are not kept).
  const flow = await startStubFlow();
  const forget = setInterval(() => flow.requests.splice(0), 1000);
  try {
    const env = await machine(orm, redis);
    const seedData = await seed(orm);
    log('database made and seeded');

    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
    const roundTrips = await roundTripCosts(redis, redisPid);
    log(
      `Redis round trip, CPU µs in client / server: back to back ${roundTrips.busy.client.toFixed(0)} / ` +
        `${roundTrips.busy.server.toFixed(0)}, idle 2 ms between ${roundTrips.idleBetween.client.toFixed(0)} / ` +
        `${roundTrips.idleBetween.server.toFixed(0)}`,
    );
    const ours = await withWorkers(workerEnv(flow.url), undefined, async (workers) => {
      log('workers started');
      const batches = new BatchStats(workers);
      const meter = new CpuMeter(workers, redisPid, orm);
      await burst(orm, queue, watch, seedData, mixedCart, 2000); // warm-up
      await settle(orm);
      await batches.since();
      log('warmed up');
      const mixed = {
        ...(await burst(orm, queue, watch, seedData, mixedCart, BURST, meter)),
        ...(await batches.since()),
      };
      log(`  lapak    mixed  ${describeBurst(mixed)}`);
      const hot = {
        ...(await burst(orm, queue, watch, seedData, hotCart, BURST, meter)),
        ...(await batches.since()),
      };
      log(`  lapak    hot    ${describeBurst(hot)}`);
      const mixedRate = Math.round(mixed.ordersPerSecond / 2);
      const mixedLatency = {
        ...(await steady(orm, queue, watch, seedData, mixedCart, mixedRate, meter)),
        ...(await batches.since()),
      };
      log(`  lapak    mixed  ${describeSteady(mixedLatency)}`);
      const lowLatency = {
        ...(await steady(orm, queue, watch, seedData, mixedCart, Math.round(mixedRate / 5), meter)),
        ...(await batches.since()),
      };
      log(`  lapak    mixed  ${describeSteady(lowLatency)}`);
      const hotRate = Math.round(hot.ordersPerSecond / 2);
      const hotLatency = {
        ...(await steady(orm, queue, watch, seedData, hotCart, hotRate)),
        ...(await batches.since()),
      };
      log(`  lapak    hot    ${describeSteady(hotLatency)}`);
      if (QUICK) return null;
      const scarce = await contention(orm, queue, watch, seedData);
      return { mixed, hot, mixedLatency, lowLatency, hotLatency, scarce };
    });
    if (!ours) return;

    const baselineBurst = Math.max(1000, Math.round(BURST / 8));
    const baseline = await withWorkers(workerEnv(flow.url), baselineScript, async (workers) => {
      const meter = new CpuMeter(workers, redisPid, orm);
      await burst(orm, queue, watch, seedData, mixedCart, 300); // warm-up
      await settle(orm);
      const mixed = await burst(orm, queue, watch, seedData, mixedCart, baselineBurst, meter);
      log(`  baseline mixed  ${describeBurst(mixed)}`);
      const hot = await burst(orm, queue, watch, seedData, hotCart, baselineBurst, meter);
      log(`  baseline hot    ${describeBurst(hot)}`);
      const scarce = await contention(orm, queue, watch, seedData);
      return { mixed, hot, scarce };
    });

    const report = {
      bench: 'order-processing',
      date: new Date().toISOString(),
      machine: env,
      setup: {
        workerProcesses: WORKERS,
        workerConcurrency: Number(WORKER_CONCURRENCY),
        burst: BURST,
        baselineBurst,
      },
      roundTrips,
      lapak: ours,
      baseline,
      ratio: {
        mixed: ours.mixed.ordersPerSecond / baseline.mixed.ordersPerSecond,
        hot: ours.hot.ordersPerSecond / baseline.hot.ordersPerSecond,
      },
    };
    log('');
    process.stdout.write(`${JSON.stringify(report)}\n\n`);
    const markdown = section(report, loadAtStart, loadavg()[0]!);
    process.stdout.write(`${markdown}\n`);
    if (process.env.BENCH_RECORD !== '0') log(`wrote ${writeBenchmarkSection('order-processing', markdown)}`);
  } finally {
    clearInterval(forget);
    await flow.close();
    await queue.close();
    subscriber.disconnect();
    const stream = redis.scanStream({ match: `${config.REDIS_PREFIX}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
    await orm.close();
    await dropDatabases(base.DATABASE_URL, database);
  }
}

await main();
