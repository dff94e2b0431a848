import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createOrm, createRedis, loadConfig, newId } from '@lapak/core';
import { checkoutBody, createTemplateDatabase, dropDatabases, withDatabase } from '@lapak/core/testing';
import { sql } from 'kysely';
import { freePort } from '../scripts/start/processes';
import { writeBenchmarkSection } from './lib/benchmarks-doc';
import { insertBenchCatalog } from './lib/variant-catalog';
import { CONNECTIONS, PRODUCTS, RATE_SECONDS, SATURATION_SECONDS, knob } from './lib/knobs';
import { insertShoppers } from './lib/shoppers';
import { describeMachine } from './lib/machine';
import { cpuSample, cpuSpent, postgresBackends, totalCpuSeconds } from './lib/cpu';
import {
  openLoop,
  openLoopCalls,
  percentile,
  stallsOf,
  type LoadRequest,
  type OpenLoopResult,
  type Stall,
} from './lib/open-loop';

/**
 * Checkout throughput and latency against the real API process, on real PostgreSQL and Redis,
 * in a database of its own:
 *  - saturation: accepted checkouts (202) per second with CONNECTIONS keep-alive connections,
 *    one request in flight on each (autocannon, no pipelining);
 *  - fixed rate: p50/p99 latency at RATE requests/s, open loop (see lib/open-loop.ts);
 * for the API's checkout and for a baseline in the same run: the same checkout written the
 * common ORM way (lib/naive-checkout.ts). No order worker runs: only the API side is measured.
 * Then, at the same fixed rate, the floors a checkout cannot go under on this machine: a request
 * the API answers without I/O (`GET /healthz`) and a one-row insert, each its own durable commit.
 */
/** Variants per product (1: products without options); every line names one. */
const VARIANTS = knob('BENCH_VARIANTS', 3);
const USERS = knob('BENCH_USERS', 200);
const RATE = knob('BENCH_RATE', 500);
const POOL = knob('BENCH_DB_POOL', 10);
/** The p99 goal at RATE/s; slower requests are grouped into stalls in the report. */
const GOAL_P99_MS = 20;

const here = dirname(fileURLToPath(import.meta.url));
const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const runId = Date.now().toString(36);
const database = `lapak_bench_checkout_${runId}`;
const redisPrefix = `lapak-bench-${runId}`;

async function seed(databaseUrl: string) {
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  try {
    const db = orm.em.fork().getKysely();
    const tokens = await insertShoppers(db, USERS, base.JWT_SECRET);
    const products = await insertBenchCatalog(
      db,
      Array.from({ length: PRODUCTS }, (_, i) => ({
        id: newId(),
        sku: `BENCH-${i}`,
        name: `Bench product ${i}`,
        priceCents: 100 + ((i * 37) % 10_000),
        stock: 1_000_000,
      })),
      VARIANTS,
    );
    return { tokens, products };
  } finally {
    await orm.close();
  }
}

async function startApi(databaseUrl: string, port: number): Promise<ChildProcess> {
  // BENCH_API_FLAGS: extra Node flags for the API process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const flags = process.env.BENCH_API_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(here, 'checkout-server.ts')], {
    cwd: here,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(POOL),
      REDIS_PREFIX: redisPrefix,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      // 200 shoppers send every checkout of the run: a shopper's limit of checkouts a minute
      // would refuse nearly all of them (the open-orders setting is raised in seed()).
      CHECKOUT_RATE_LIMIT_PER_USER: '1000000',
    },
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the API did not become ready');
}

async function stopApi(api: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) =>
    api.exitCode === null ? api.once('exit', resolve) : resolve(null),
  );
  api.kill('SIGTERM');
  await exited;
}

interface Target {
  url: string;
  apiPid: number;
  redisPid: number;
  databaseUrl: string;
}

interface Figures {
  name: string;
  acceptedPerSecond: number;
  saturationP50: number;
  saturationP99: number;
  saturationOther: number;
  rateP50: number;
  rateP99: number;
  rateMax: number;
  rateAccepted: number;
  rateSent: number;
  rateStatuses: Record<string, number>;
  /** The fixed-rate requests slower than GOAL_P99_MS, grouped by when they were due. */
  rateStalls: Stall[];
  /**
   * CPU milliseconds per accepted checkout at saturation: the API process, the PostgreSQL
   * backends, the Redis server (which other work on the machine also uses) and the load generator.
   */
  apiCpuMs: number;
  postgresCpuMs: number;
  redisCpuMs: number;
  loadCpuMs: number;
}

/** The PostgreSQL backends serving the benchmark's database. */
async function postgresPids(databaseUrl: string): Promise<number[]> {
  const orm = await createOrm({ databaseUrl, poolMax: 1 });
  try {
    return await postgresBackends(orm, database);
  } finally {
    await orm.close();
  }
}

async function measure(
  name: string,
  target: Target,
  path: string,
  next: (i: number) => LoadRequest,
): Promise<Figures> {
  const { url } = target;
  const request = { method: 'POST', path, setupRequest: () => ({ ...next(0), path }) };
  // Warm up (JIT, pools, caches); not counted.
  await autocannon({ url, connections: 8, duration: 3, requests: [request] });

  const cpuBefore = {
    api: totalCpuSeconds([target.apiPid]),
    pg: cpuSample(await postgresPids(target.databaseUrl)),
    redis: totalCpuSeconds([target.redisPid]),
    load: process.cpuUsage(),
  };
  const saturation = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SATURATION_SECONDS,
    pipelining: 1,
    requests: [request],
  });
  const load = process.cpuUsage(cpuBefore.load);
  const cpuAfter = {
    api: totalCpuSeconds([target.apiPid]),
    pg: cpuSample(await postgresPids(target.databaseUrl)),
    redis: totalCpuSeconds([target.redisPid]),
  };
  const accepted = saturation.statusCodeStats['202']?.count ?? 0;
  const total = Object.values(saturation.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);

  await new Promise((resolve) => setTimeout(resolve, 2000));
  const fixed = await openLoop({
    url,
    rate: RATE,
    seconds: RATE_SECONDS,
    next: (i) => ({ ...next(i), path }),
  });
  return {
    name,
    acceptedPerSecond: Number(accepted) / saturation.duration,
    saturationP50: saturation.latency.p50,
    saturationP99: saturation.latency.p99,
    saturationOther: total - Number(accepted) + saturation.errors,
    rateP50: percentile(fixed.latencies, 50),
    rateP99: percentile(fixed.latencies, 99),
    rateMax: percentile(fixed.latencies, 100),
    rateAccepted: fixed.statuses['202'] ?? 0,
    rateSent: fixed.sent,
    rateStatuses: fixed.statuses,
    rateStalls: stallsOf(fixed, GOAL_P99_MS),
    apiCpuMs: ((cpuAfter.api - cpuBefore.api) * 1000) / Math.max(1, Number(accepted)),
    postgresCpuMs: (cpuSpent(cpuBefore.pg, cpuAfter.pg) * 1000) / Math.max(1, Number(accepted)),
    redisCpuMs: ((cpuAfter.redis - cpuBefore.redis) * 1000) / Math.max(1, Number(accepted)),
    loadCpuMs: (load.user + load.system) / 1000 / Math.max(1, Number(accepted)),
  };
}

interface Floor {
  name: string;
  p50: number;
  p99: number;
  max: number;
  stalls: Stall[];
}

const floorOf = (name: string, result: OpenLoopResult): Floor => ({
  name,
  p50: percentile(result.latencies, 50),
  p99: percentile(result.latencies, 99),
  max: percentile(result.latencies, 100),
  stalls: stallsOf(result, GOAL_P99_MS),
});

/** What the machine itself allows at RATE/s: an answer without I/O, and a durable commit. */
async function floors(url: string, databaseUrl: string): Promise<Floor[]> {
  const http = await openLoop({
    url,
    rate: RATE,
    seconds: RATE_SECONDS,
    next: () => ({ method: 'GET', path: '/healthz', headers: {}, body: '' }),
  });
  const orm = await createOrm({ databaseUrl, poolMax: POOL });
  try {
    const db = () => orm.em.fork().getKysely();
    await sql`create table commit_floor (id bigserial primary key, at timestamptz not null default now())`.execute(
      db(),
    );
    // Warm the pool (connections are opened on demand) before the clock runs.
    await Promise.all(Array.from({ length: POOL }, () => sql`select 1`.execute(db())));
    const commit = await openLoopCalls({
      rate: RATE,
      seconds: RATE_SECONDS,
      call: async () => {
        await sql`insert into commit_floor default values`.execute(db());
        return 'ok';
      },
    });
    return [
      floorOf('`GET /healthz` through the API (HTTP and Koa, no I/O)', http),
      floorOf(`one-row insert, its own durable commit (PostgreSQL, pool of ${POOL})`, commit),
    ];
  } finally {
    await orm.close();
  }
}

const loadAtStart = loadavg()[0]!;

async function main() {
  console.log(`checkout: ${PRODUCTS} products, ${USERS} users, database ${database}`);
  await createTemplateDatabase(base.DATABASE_URL, database);
  const databaseUrl = withDatabase(base.DATABASE_URL, database);
  let api: ChildProcess | undefined;
  try {
    const { tokens, products } = await seed(databaseUrl);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;

    let counter = 0;
    const checkout = (): LoadRequest => {
      const n = counter++;
      const lines = 1 + (n % 3);
      const start = (n * 7919) % (products.length - lines);
      return {
        method: 'POST',
        path: '/api/v1/orders',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[n % tokens.length]}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(
          checkoutBody(
            products.slice(start, start + lines).map((product, i) => ({
              productId: product.id,
              variantId: product.variantIds[(n + i) % product.variantIds.length],
              quantity: 1 + i,
            })),
          ),
        ),
      };
    };

    const redis = createRedis(base.REDIS_URL, 'worker');
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
    redis.disconnect();
    // Each implementation in an API process of its own, started fresh: the garbage one leaves in
    // the heap (and the collections it brings on) must not land in the other's figures.
    const inFreshApi = async <T>(run: (target: Target) => Promise<T>): Promise<T> => {
      api = await startApi(databaseUrl, port);
      try {
        return await run({ url, apiPid: api.pid!, redisPid, databaseUrl });
      } finally {
        await stopApi(api);
        api = undefined;
      }
    };
    // BENCH_SKIP_BASELINE=1 (for profiling) measures the API alone and records nothing.
    const skipBaseline = process.env.BENCH_SKIP_BASELINE === '1';
    const baseline = skipBaseline
      ? []
      : [
          await inFreshApi((target) =>
            measure('baseline: ORM entity graph + flush', target, '/bench/naive-orders', checkout),
          ),
        ];
    const ours = await inFreshApi(async (target) => ({
      figures: await measure('API checkout (batched statement)', target, '/api/v1/orders', checkout),
      floors: await floors(url, databaseUrl),
    }));
    report([...baseline, ours.figures], ours.floors, !skipBaseline);
  } finally {
    if (api) await stopApi(api);
    await dropDatabases(base.DATABASE_URL, database);
    const redis = createRedis(base.REDIS_URL, 'worker');
    const stream = redis.scanStream({ match: `${redisPrefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** "N requests over 20 ms, in K stalls (about one every X s; the longest N requests, worst W ms)". */
function describeStalls(stalls: Stall[]): string {
  const late = stalls.reduce((sum, stall) => sum + stall.requests, 0);
  if (late === 0) return `no request over ${GOAL_P99_MS} ms`;
  const longest = stalls.reduce((a, b) => (b.requests > a.requests ? b : a));
  const worst = Math.max(...stalls.map((stall) => stall.worstMs));
  const every =
    stalls.length > 1
      ? `, about one every ${((stalls.at(-1)!.atSeconds - stalls[0]!.atSeconds) / (stalls.length - 1)).toFixed(1)} s`
      : '';
  return (
    `${late} request${late === 1 ? '' : 's'} over ${GOAL_P99_MS} ms in ${stalls.length} stall${stalls.length === 1 ? '' : 's'}${every} ` +
    `(the longest ${longest.requests} request${longest.requests === 1 ? '' : 's'} in a row; worst ${ms(worst)})`
  );
}

function report(results: Figures[], floorRows: Floor[], record: boolean) {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${Math.round(r.acceptedPerSecond)} | ${ms(r.saturationP50)} / ${ms(r.saturationP99)} | ` +
      `${ms(r.rateP50)} / ${ms(r.rateP99)} (max ${ms(r.rateMax)}) | ${r.rateAccepted}/${r.rateSent} | ` +
      `${r.apiCpuMs.toFixed(2)} / ${r.postgresCpuMs.toFixed(2)} / ${r.redisCpuMs.toFixed(2)} / ${r.loadCpuMs.toFixed(2)} |`,
  );
  const table = [
    `| implementation | accepted/s at saturation (${CONNECTIONS} connections) | p50 / p99 at saturation | p50 / p99 at ${RATE}/s (open loop) | 202s at ${RATE}/s | CPU ms per checkout: API / PostgreSQL / Redis / load generator |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  const floorTable = [
    `| at ${RATE}/s for ${RATE_SECONDS} s, open loop | p50 | p99 | max |`,
    '|---|---:|---:|---:|',
    ...floorRows.map((f) => `| ${f.name} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} |`),
  ].join('\n');
  console.log(`\n${table}\n\n${floorTable}\n`);
  for (const r of results) console.log(`${r.name} at ${RATE}/s: ${describeStalls(r.rateStalls)}`);
  for (const f of floorRows) console.log(`${f.name}: ${describeStalls(f.stalls)}`);
  for (const r of results)
    if (r.saturationOther > 0)
      console.log(`${r.name}: ${r.saturationOther} answers other than 202 at saturation`);

  const goals = results.at(-1)!;
  const baseline = results.length > 1 ? results[0]! : undefined;
  const cpuTotal = goals.apiCpuMs + goals.postgresCpuMs + goals.redisCpuMs + goals.loadCpuMs;
  const ratio = baseline
    ? `Against the baseline in the same run: ${(goals.acceptedPerSecond / baseline.acceptedPerSecond).toFixed(1)}× the accepted ` +
      `checkouts per second, ${((baseline.apiCpuMs + baseline.postgresCpuMs) / (goals.apiCpuMs + goals.postgresCpuMs)).toFixed(1)}× ` +
      `less API + PostgreSQL CPU per checkout. `
    : '';
  const markdown = `## Checkout (\`bench/checkout.bench.ts\`)

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; API, PostgreSQL,
Redis and the load generator all on this machine (1-minute load average ${loadAtStart.toFixed(1)} when the run started and
${loadavg()[0]!.toFixed(1)} when it ended: other work may share the 2 cores, so absolute figures move from run to run and
the ratio to the baseline measured in the same run is the figure to compare). ${PRODUCTS} products (${VARIANTS} variants each, every line naming one), ${USERS} users, 1–3 lines per order, a new
Idempotency-Key per request, API database pool ${POOL}, no order worker running; each implementation in an API process of
its own, started for it and warmed up the same way. Saturation: autocannon, ${CONNECTIONS}
keep-alive connections, one request in flight each, ${SATURATION_SECONDS} s. Fixed rate: ${RATE} requests/s for
${RATE_SECONDS} s, open loop, latency counted from each request's scheduled start.

${table}

${ratio}Goals: ≥ 1,500 accepted/s — ${goals.acceptedPerSecond >= 1500 ? 'met' : 'not met'} (${Math.round(goals.acceptedPerSecond)}/s);
p99 ≤ 20 ms at 500/s — ${goals.rateP99 <= 20 ? 'met' : 'not met'} (${ms(goals.rateP99)}).

What limits it: each accepted checkout cost ${cpuTotal.toFixed(2)} ms of CPU in all (API ${goals.apiCpuMs.toFixed(2)}, PostgreSQL
${goals.postgresCpuMs.toFixed(2)}, Redis ${goals.redisCpuMs.toFixed(2)}, load generator ${goals.loadCpuMs.toFixed(2)}), so even with its 2 cores doing
nothing else this machine could accept at most about ${Math.round(2000 / cpuTotal)} checkouts/s (1,500/s needs ≤ 1.33 ms in all), and
the API, one Node thread, at most about ${Math.round(1000 / goals.apiCpuMs)}/s on one core. Other test runs took their share of the cores
during the run (load averages above); once arrivals outpace what is left, requests queue and the fixed-rate latencies
grow with the length of the run.

A checkout's latency cannot go under what the machine allows for its parts. Measured in the same run, at the same
rate and the same way (open loop), after the checkouts:

${floorTable}

A checkout is a request like the first, a commit like the second (of a larger statement) and an enqueue to Redis: the
two floors' p99 add up to ${ms(floorRows[0]!.p99 + floorRows[1]!.p99)} of the checkout's ${ms(goals.rateP99)}. The checkout's tail is not
spread over the run: of its ${goals.rateSent} requests, ${describeStalls(goals.rateStalls)}; every checkout due
during a stall waits for it. In the same run the floors had: \`GET /healthz\` ${describeStalls(floorRows[0]!.stalls)}; the
commit ${describeStalls(floorRows[1]!.stalls)}.

The baseline is the same checkout written the common ORM way: read the idempotency key, load the products as
entities, build the order, its lines and the key in the unit of work and flush them in a transaction
(BEGIN, two selects, three inserts in two flushes, COMMIT: seven round trips), then enqueue. The API stores the checkouts that arrive while earlier ones are being written as one batch: one call of the
\`checkout_orders\` function (each checkout's lines checked, then the keys with \`on conflict do nothing\`, the orders and
their lines, set-based for the whole batch; its statements planned once per connection), so a batch shares one statement
and one commit; each checkout's enqueue is one command to Redis. CPU per checkout is each process's CPU time during the saturation
phase (for PostgreSQL, the backends serving the benchmark's database) divided by the checkouts accepted in it.`;
  if (record) console.log(`wrote ${writeBenchmarkSection('checkout', markdown)}`);
}

await main();
