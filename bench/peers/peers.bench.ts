import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRedis, loadConfig } from '@lapak/core';
import { writeBenchmarkSection } from '../lib/benchmarks-doc';
import { cpuSample, cpuSpent } from '../lib/cpu';
import { CONNECTIONS as SHOPPERS, PRODUCTS, RATE_SECONDS, SATURATION_SECONDS, knob } from '../lib/knobs';
import { describeMachine } from '../lib/machine';
import { benchCatalog } from './catalog';
import { Carts, closedLoop, fixedRate, hotRace, p, type Timed } from './drive';
import { startLapak } from './lapak';
import { startMedusa } from './medusa';
import { databaseUrl, query } from '../../scripts/start/database';
import type { SystemUnderTest } from './system';
import { startVendure } from './vendure';

/**
 * Lapak, Vendure and Medusa side by side, one after the other in one run, each on this machine's
 * PostgreSQL (a database of its own) with the same 1,000-product catalog and the same carts as
 * the checkout benchmark, driven through its own storefront API:
 *  - saturation: SHOPPERS shoppers in a closed loop for SATURATION_SECONDS (the checkout
 *    benchmark's concurrency), checkouts completed per second, their p50/p99, and CPU per
 *    checkout of each process, counted until every order of the phase is final;
 *  - fixed rate: RATE checkouts/s for RATE_SECONDS, open loop (lib/open-loop.ts), p50/p99 from
 *    each checkout's scheduled start (a rate below every system's saturation);
 *  - hot-product race: HOT_BUYERS shoppers at once buying one unit each of a product with
 *    HOT_UNITS in stock, then the units sold and the stock read from the system's database.
 * Vendure and Medusa complete a checkout synchronously (the last call answers with the order);
 * Lapak answers 202 once the order is stored and decides it in its worker: its rows give both the
 * accepted checkout and the end-to-end time to the decision. The peers are installed into the
 * cache by install-peers.sh on first use; the benchmark is skipped only if that fails.
 */
const WARMUP_SECONDS = knob('BENCH_PEERS_WARMUP_SECONDS', 5);
/** The fixed rate is this share of the system's own checkouts/s at saturation. */
const RATE_SHARE = knob('BENCH_PEERS_RATE_SHARE', 0.5);
/** At least this many checkouts at the fixed rate (a slow system's run is made longer). */
const RATE_MIN_CHECKOUTS = 10;
const HOT_UNITS = knob('BENCH_PEERS_HOT_UNITS', 20);
const HOT_BUYERS = knob('BENCH_PEERS_HOT_BUYERS', 40);
/** Medusa's Redis modules get a Redis database of their own (Lapak uses 0, with a key prefix). */
const MEDUSA_REDIS_DB = knob('BENCH_MEDUSA_REDIS_DB', 13);
/** BENCH_PEERS=lapak,vendure: run only these (nothing is recorded then). */
const ONLY = process.env.BENCH_PEERS?.split(',').map((name) => name.trim().toLowerCase());

const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const began = performance.now();
const log = (line: string) =>
  process.stdout.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function install(): { vendure: string; medusa: string } | string {
  const script = join(import.meta.dirname, 'install-peers.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) return `install-peers.sh exited with ${result.status ?? result.signal}`;
  const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(result.stdout)?.[1];
  const vendure = value('LAPAK_VENDURE_HOME');
  const medusa = value('LAPAK_MEDUSA_HOME');
  return vendure && medusa ? { vendure, medusa } : `install-peers.sh printed no homes:\n${result.stdout}`;
}

interface Figures {
  name: string;
  describe: string;
  endToEndAsync: boolean;
  /** Checkouts completed (peers) or accepted (Lapak) per second, and refused, at saturation. */
  perSecond: number;
  refused: number;
  /** Orders final per second at saturation, from the phase's start to its last final order. */
  finalPerSecond: number;
  satLatency: number[];
  satEndToEnd: number[] | undefined;
  rate: number;
  rateSeconds: number;
  rateLatency: number[];
  rateEndToEnd: number[] | undefined;
  rateStatuses: Record<string, number>;
  rateSent: number;
  /** CPU ms per final order, by process, from the phase's start to its last final order. */
  cpu: Record<string, number>;
  hot: { completed: number; refused: number; sold: number; stock: string; oversold: number };
  refusals: string[];
  load: [number, number];
}

async function measure(system: SystemUnderTest): Promise<Figures> {
  const loadStart = loadavg()[0]!;
  const carts = new Carts(PRODUCTS);
  const refusals = new Set<string>();
  const note = (done: Timed[]) => {
    for (const { outcome } of done)
      if (!outcome.ok && refusals.size < 5) refusals.add(outcome.refusal ?? '?');
  };
  /** performance.now() of each accepted order's decision, for a system that decides after accepting. */
  const decisions = async (done: Timed[]) =>
    system.decided
      ? Promise.all(
          done.map(async (t) =>
            t.outcome.ok && t.outcome.orderId ? (await system.decided!(t.outcome.orderId)).at : t.endedAt,
          ),
        )
      : done.map((t) => t.endedAt);

  log(`${system.name}: warm-up, ${WARMUP_SECONDS} s`);
  const warm = await closedLoop(system, carts, 8, WARMUP_SECONDS);
  note(warm.done);
  await decisions(warm.done);
  await sleep(2000);

  log(`${system.name}: saturation, ${SHOPPERS} shoppers, ${SATURATION_SECONDS} s`);
  const procsBefore = await system.processes();
  const before = Object.fromEntries(
    Object.entries(procsBefore).map(([label, pids]) => [label, cpuSample(pids)]),
  );
  const loadBefore = process.cpuUsage();
  const sat = await closedLoop(system, carts, SHOPPERS, SATURATION_SECONDS);
  const finals = await decisions(sat.done);
  const lastFinal = Math.max(sat.endedAt, ...finals);
  const procsAfter = await system.processes();
  const loadCpu = process.cpuUsage(loadBefore);
  note(sat.done);
  const ok = sat.done.filter((t) => t.outcome.ok);
  const orders = Math.max(1, ok.length);
  const cpu: Record<string, number> = {};
  for (const [label, pids] of Object.entries(procsAfter)) {
    cpu[label] = (cpuSpent(before[label] ?? new Map(), cpuSample(pids)) * 1000) / orders;
  }
  cpu['load generator'] = (loadCpu.user + loadCpu.system) / 1000 / orders;
  const satLatency = ok.map((t) => t.endedAt - t.startedAt).sort((a, b) => a - b);
  const satEndToEnd = system.decided
    ? sat.done
        .map((t, i) => ({ t, final: finals[i]! }))
        .filter(({ t }) => t.outcome.ok)
        .map(({ t, final }) => final - t.startedAt)
        .sort((a, b) => a - b)
    : undefined;
  const seconds = (sat.endedAt - sat.startedAt) / 1000;
  log(
    `${system.name}: ${ok.length} checkouts in ${seconds.toFixed(1)} s (${(ok.length / seconds).toFixed(1)}/s), ` +
      `${sat.done.length - ok.length} refused, all final after ${((lastFinal - sat.startedAt) / 1000).toFixed(1)} s`,
  );
  await sleep(2000);

  const perSecond = ok.length / seconds;
  // A rate the system holds: a share of its own saturation throughput.
  const rate = Math.max(0.1, Math.round(perSecond * RATE_SHARE * 10) / 10);
  const rateSeconds = Math.max(RATE_SECONDS, Math.ceil(RATE_MIN_CHECKOUTS / rate));
  log(`${system.name}: fixed rate, ${rate}/s for ${rateSeconds} s`);
  const fixed = await fixedRate(system, carts, rate, rateSeconds);
  await sleep(2000);

  log(`${system.name}: hot-product race, ${HOT_BUYERS} buyers for ${HOT_UNITS} units`);
  const race = await hotRace(system, PRODUCTS, HOT_BUYERS);
  if (race.refusals.length) log(`${system.name}: race refusals seen: ${race.refusals.join(' | ')}`);
  const count = await system.hotProduct();
  const figures: Figures = {
    name: system.name,
    describe: system.describe,
    endToEndAsync: Boolean(system.decided),
    perSecond,
    refused: sat.done.length - ok.length,
    finalPerSecond: ok.length / ((lastFinal - sat.startedAt) / 1000),
    satLatency,
    satEndToEnd,
    rate,
    rateSeconds,
    rateLatency: fixed.accepted,
    rateEndToEnd: fixed.endToEnd,
    rateStatuses: fixed.statuses,
    rateSent: fixed.sent,
    cpu,
    hot: {
      completed: race.completed,
      refused: race.refused,
      ...count,
      oversold: Math.max(0, count.sold - HOT_UNITS),
    },
    refusals: [...refusals],
    load: [loadStart, loadavg()[0]!],
  };
  log(
    `${system.name}: fixed rate p50 ${p(fixed.accepted, 50).toFixed(1)} p99 ${p(fixed.accepted, 99).toFixed(1)} ms` +
      (fixed.endToEnd
        ? `, end to end p50 ${p(fixed.endToEnd, 50).toFixed(1)} p99 ${p(fixed.endToEnd, 99).toFixed(1)} ms`
        : '') +
      ` ${JSON.stringify(fixed.statuses)}; race: ${race.completed} completed, sold ${count.sold}, ${count.stock}; ` +
      `CPU ms/checkout ${Object.entries(cpu)
        .map(([label, ms]) => `${label} ${ms.toFixed(2)}`)
        .join(', ')}`,
  );
  if (figures.refusals.length) log(`${system.name}: refusals seen: ${figures.refusals.join(' | ')}`);
  return figures;
}

async function run<T extends SystemUnderTest>(start: () => Promise<T>): Promise<Figures> {
  const system = await start();
  try {
    return await measure(system);
  } finally {
    await system.stop();
    log(`${system.name}: stopped`);
  }
}

async function versions(): Promise<{ postgres: string; redis: string }> {
  const [row] = await query<{ v: string }>(
    databaseUrl(base.DATABASE_URL, 'postgres'),
    "select current_setting('server_version') as v",
  );
  const redis = createRedis(base.REDIS_URL, 'worker');
  const info = await redis.info('server');
  redis.disconnect();
  return { postgres: row?.v.split(' ')[0] ?? '?', redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '?' };
}

async function main() {
  const homes = install();
  if (typeof homes === 'string') {
    console.log(
      `peers: skipped — Vendure and Medusa are not installed and installing them failed (${homes})`,
    );
    return;
  }
  const catalog = benchCatalog(PRODUCTS, HOT_UNITS);
  const wanted = (name: string) => !ONLY || ONLY.includes(name);
  const medusaRedis = new URL(base.REDIS_URL);
  medusaRedis.pathname = `/${MEDUSA_REDIS_DB}`;
  const flushMedusaRedis = async () => {
    const redis = createRedis(medusaRedis.toString(), 'worker');
    await redis.flushdb();
    redis.disconnect();
  };
  const results: Figures[] = [];
  const loadAtStart = loadavg()[0]!;
  if (wanted('lapak')) results.push(await run(() => startLapak({ catalog, log })));
  if (wanted('vendure')) {
    results.push(
      await run(() => startVendure({ home: homes.vendure, serverUrl: base.DATABASE_URL, catalog, log })),
    );
  }
  if (wanted('medusa')) {
    results.push(
      await run(() =>
        startMedusa({
          home: homes.medusa,
          serverUrl: base.DATABASE_URL,
          redisUrl: base.REDIS_URL,
          redisDb: MEDUSA_REDIS_DB,
          catalog,
          log,
          flushRedisDb: flushMedusaRedis,
        }),
      ),
    );
  }
  report(results, loadAtStart, !ONLY, await versions());
}

const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value)
    ? '—'
    : value >= 1000
      ? `${(value / 1000).toFixed(2)} s`
      : `${value.toFixed(1)} ms`;
const pair = (sorted: number[] | undefined) => (sorted ? `${ms(p(sorted, 50))} / ${ms(p(sorted, 99))}` : '—');
const perSecond = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
/** CPU ms per checkout of the system's own processes (the load generator left out). */
const systemCpu = (r: Figures) =>
  Object.entries(r.cpu)
    .filter(([label]) => label !== 'load generator')
    .reduce((sum, [, value]) => sum + value, 0);
const cpuCell = (r: Figures) =>
  `${Object.entries(r.cpu)
    .map(([label, value]) => `${label} ${value.toFixed(value >= 10 ? 0 : 2)}`)
    .join(' · ')}; the system's own, in all: ${systemCpu(r).toFixed(systemCpu(r) >= 10 ? 0 : 2)}`;
const raceCell = (r: Figures) =>
  `${r.hot.sold} sold, ${r.hot.oversold === 0 ? 'none oversold' : `**${r.hot.oversold} oversold**`}; ${r.hot.stock}`;

function table(results: Figures[]): string {
  const rows: string[] = [];
  for (const r of results) {
    const completed = (r.rateStatuses.completed ?? 0) + (r.rateStatuses.awaiting_payment ?? 0);
    const short = completed < r.rateSent ? ` (${completed} of ${r.rateSent} completed)` : '';
    const rate = `${pair(r.rateLatency)} at ${r.rate}/s${short}`;
    const refused = r.refused > 0 ? ` (${r.refused} refused)` : '';
    if (r.endToEndAsync) {
      rows.push(
        `| ${r.name}: checkout accepted (202) | ${perSecond(r.perSecond)}${refused} | ${pair(r.satLatency)} | ${rate} | | |`,
        `| ${r.name}: end to end, checkout → order decided | ${perSecond(r.finalPerSecond)} | ${pair(r.satEndToEnd)} | ` +
          `${pair(r.rateEndToEnd)} at ${r.rate}/s${short} | ${cpuCell(r)} | ${raceCell(r)} |`,
      );
    } else {
      rows.push(
        `| ${r.name}: checkout completed, order placed | ${perSecond(r.perSecond)}${refused} | ${pair(r.satLatency)} | ${rate} | ` +
          `${cpuCell(r)} | ${raceCell(r)} |`,
      );
    }
  }
  return [
    `| system | checkouts/s at saturation (${SHOPPERS} shoppers) | p50 / p99 at saturation | p50 / p99 at a fixed rate (open loop) | CPU ms per checkout, by process | hot product: ${HOT_BUYERS} buyers, ${HOT_UNITS} units |`,
    '|---|---:|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}

function report(
  results: Figures[],
  loadAtStart: number,
  record: boolean,
  versions: { postgres: string; redis: string },
) {
  const rendered = table(results);
  console.log(`\n${rendered}\n`);
  if (!record) {
    console.log('nothing recorded: BENCH_PEERS runs only some of the systems');
    return;
  }
  const lapak = results.find((r) => r.name === 'Lapak')!;
  const peers = results.filter((r) => r !== lapak);
  const loads = results.map((r) => `${r.name} ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`).join(', ');
  const times = (value: number) => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;
  const comparisons =
    `Lapak decided ${peers.map((r) => `${times(lapak.finalPerSecond / r.perSecond)} ${r.name}'s`).join(' and ')} ` +
    `completed checkouts per second at saturation, its processes spending ` +
    `${peers.map((r) => `${times(systemCpu(r) / systemCpu(lapak))} less CPU per checkout than ${r.name}'s`).join(' and ')}`;
  const server = (r: Figures) => r.cpu.server ?? r.cpu.API ?? NaN;
  const limits =
    `What limits them is CPU. At the CPU per checkout above, this machine's 2 cores doing nothing else could carry about ` +
    `${results.map((r) => `${perSecond(2000 / systemCpu(r))} checkouts/s of ${r.name}`).join(', ')} ` +
    `(2,000 ms of CPU a second over the system's own CPU per checkout); each server (${results
      .map(
        (r) =>
          `${r.name}'s ${r.cpu.server !== undefined ? 'server' : 'API'} at most ${perSecond(1000 / server(r))}/s`,
      )
      .join(
        ', ',
      )}) is one Node thread on one core. Other work held most of the cores during the run (the load averages ` +
    'above), so every figure here is below those; the CPU per checkout, a ratio of two counts, moves least from run to run.';
  const oversold = results.filter((r) => r.hot.oversold > 0);
  const markdown = `## Peers side by side (\`bench/peers/peers.bench.ts\`)

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; PostgreSQL ${versions.postgres},
Redis ${versions.redis}; every system, its database and the load generator on this machine, one system after the other
(1-minute load average ${loadAtStart.toFixed(1)} at the start; per system, start → end: ${loads}: other engineers' test
runs shared the 2 cores, so absolute figures move from run to run and the ratios within one run are the figures to compare).

The same catalog for all three (the checkout benchmark's ${PRODUCTS} products, one variant each, plus one hot product with
${HOT_UNITS} units), the same carts (1–3 lines, 1–3 units), each system in a PostgreSQL database of its own, made and dropped
by the run, and driven through its own storefront API. The peers come from the npm registry at pinned versions, installed
on first use into \`~/.cache/lapak/peers\` by \`bench/peers/install-peers.sh\` (outside the workspace and its lockfile);
only our configuration, seed scripts and drivers are in the repository:

${results.map((r) => `- ${r.describe}.`).join('\n')}

Saturation: ${SHOPPERS} shoppers (the checkout benchmark's concurrency), each starting its next checkout when its last one
ends (Lapak's when the 202 arrives: its shoppers do not wait for the decision), for ${SATURATION_SECONDS} s after a warm-up,
every checkout started by then waited for; checkouts/s counts from the first start to the last end; CPU per checkout is each
process's CPU time from the first start until every order of the phase is final, divided by the orders (PostgreSQL: the
backends serving the system's database; Redis: the whole server, which other work shares). Fixed rate: half the system's own
checkouts/s at saturation, open loop for ${RATE_SECONDS} s or at least ${RATE_MIN_CHECKOUTS} checkouts, latency from each checkout's scheduled
start. Hot product: ${HOT_BUYERS} shoppers at once each buying one unit of it; then units sold (summed from the system's own orders)
and the stock as the system's own tables hold it.

${rendered}

What a checkout is differs, and the rows say which work each figure covers:

- **Vendure and Medusa complete the checkout synchronously.** The cart lives on the server: a checkout is the conversation
  their storefront guides show (Vendure: \`addItemToOrder\` per line, \`setCustomerForOrder\`, \`setOrderShippingAddress\`,
  \`eligibleShippingMethods\`, \`setOrderShippingMethod\`, \`transitionOrderToState(ArrangingPayment)\`, \`addPaymentToOrder\`;
  Medusa: create the cart, add each line, set email and address, list shipping options, add the shipping method, create the
  payment collection and its session, complete the cart, sending the completion again on a 409), 7–9 requests that each
  read and write the cart. The last answer carries the placed order: stock checked, order placed, payment authorized or
  settled by the dummy provider. Its latency is the whole conversation, one request after the other.
- **Lapak accepts the checkout and decides it asynchronously.** The cart lives in the storefront; a checkout is one
  \`POST /api/v1/orders\` with every line, answered 202 once the order is stored and queued. The order worker then decides it
  (stock reserved and the order \`awaiting_payment\` by bank transfer, or \`failed\`) and publishes the decision on the order
  status channel the shopper's page listens to. The accepted row is not the peers' completion; the end-to-end row is: from
  the checkout's start to its decision arriving, with the worker's work in the CPU column. End to end,
  ${comparisons}.
- None of the three talks to a payment provider: Vendure's \`dummyPaymentHandler\` settles at once, Medusa's
  \`pp_system_default\` authorizes at once, Lapak's bank transfer waits for the transfer with the stock reserved.

${limits}

Hot product: ${
    oversold.length === 0
      ? 'no system sold more units than it had.'
      : `${oversold.map((r) => `${r.name} sold ${r.hot.sold} units of ${HOT_UNITS} (${r.hot.oversold} oversold)`).join('; ')}.`
  } ${results.map((r) => HOT_RACE_NOTES[r.name] ?? '').join(' ')}`;
  console.log(`wrote ${writeBenchmarkSection('peers', markdown)}`);
}

/** How each system guards a product's stock when buyers race for it, as its code does it. */
const HOT_RACE_NOTES: Record<string, string> = {
  Lapak:
    "Lapak's worker reserves stock for a batch of orders at once, the products locked in id order and each " +
    'reservation a conditional UPDATE (docs/orders.md); the buyers past the stock get `failed`.',
  Vendure:
    'Vendure checks the saleable stock when a line is added and allocates it when the order is placed ' +
    '(its default stock allocation strategy), in `StockLevelService.updateStockAllocatedForLocation`, which reads the ' +
    'stock level and writes `stockAllocated + quantity` back with no lock: racing buyers all pass the check before any ' +
    'allocation lands, and their allocations can overwrite each other.',
  Medusa:
    'Medusa reserves stock when the cart is completed (`reserveInventoryStep` in `completeCartWorkflow`), checking what ' +
    "is available inside its locking module's lock on the inventory item: the buyers past the stock are refused " +
    '"Not enough stock available"; a completion answered 409 (another request held a lock) is sent again, as the ' +
    'answer asks.',
};

await main();
