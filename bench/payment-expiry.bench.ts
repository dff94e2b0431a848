/**
 * The payment-expiry sweep: 10,000 orders awaiting payment past their deadline (1–3 lines over
 * 1,000 products, as checkout and the worker's decision leave them), expired by
 * `PaymentService.expireDue` in its transactions of 1,000, as one sweep does, against a
 * baseline expiring one order per transaction the common ORM way (lock the order, read its
 * lines, give each line's units back with its own UPDATE, then the payment and the order), on
 * the same orders made again. Both write the same rows; Lapak also outboxes each product's new
 * stock once per transaction, which the baseline does not (it favours the baseline).
 *
 * Runs on its own database, removed afterwards. Knobs: BENCH_EXPIRY_ORDERS (default 10000),
 * BENCH_RECORD=0 (print the docs/benchmarks.md section without writing it).
 *
 *   source scripts/toolchain.sh && node_modules/.bin/tsx bench/payment-expiry.bench.ts
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { OrderProcessingService, PaymentService, createOrm, loadConfig, newId, type Orm } from '@lapak/core';
import {
  OrderRepository,
  createTemplateDatabase,
  dropDatabases,
  sampleShippingAddress,
  withDatabase,
} from '@lapak/core/testing';
import { insertBenchCatalog } from './lib/variant-catalog';
import { writeBenchmarkSection } from './lib/benchmarks-doc';
import { knob } from './lib/knobs';
import { describeMachine } from './lib/machine';

const ORDERS = knob('BENCH_EXPIRY_ORDERS', 10_000);
const PRODUCTS = 1000;
const BATCH = 1000;
const base = loadConfig();
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const database = `lapak_bench_${runId}`;
const databaseUrl = withDatabase(base.DATABASE_URL, database);
const loadAtStart = loadavg()[0]!;
const log = (line: string) => console.log(line);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function seedProducts(orm: Orm): Promise<string[]> {
  const rows = Array.from({ length: PRODUCTS }, (_, i) => ({
    id: newId(),
    sku: `EXP-${i + 1}`,
    name: `Product ${i + 1}`,
    priceCents: 1001 + i,
    stock: 1_000_000,
  }));
  const products = await insertBenchCatalog(orm.em.fork().getKysely(), rows, 1, 'IDR');
  return products.map((product) => product.id);
}

/**
 * ORDERS bank-transfer orders, decided (awaiting payment), with their deadlines passed; 500 per
 * shopper, within the open-order cap raised for the benchmark.
 */
async function overdueOrders(orm: Orm, products: string[]): Promise<string[]> {
  const ids: string[] = [];
  let seed = 7;
  const pick = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let start = 0; start < ORDERS; start += 500) {
    const userId = await newUser(orm);
    const checkouts = Array.from({ length: Math.min(500, ORDERS - start) }, () => {
      const chosen = [...new Set([pick(PRODUCTS), pick(PRODUCTS), pick(PRODUCTS)].slice(0, 1 + pick(3)))];
      return {
        id: newId(),
        userId,
        lines: chosen.map((k) => ({ productId: products[k]!, quantity: 1 + pick(3) })),
        shippingAddress: sampleShippingAddress,
        paymentMethod: 'bank_transfer' as const,
        key: { userId, key: newId(), requestHash: 'bench' },
      };
    });
    await new OrderRepository(orm.em.fork()).insertCheckouts(checkouts);
    const batch = checkouts.map((checkout) => checkout.id);
    const outcome = await new OrderProcessingService(orm.em.fork()).decide(batch);
    if (outcome.decided.some((order) => order.status !== 'awaiting_payment')) throw new Error('not reserved');
    ids.push(...batch);
  }
  await sql`update payments set due_at = now() - interval '1 second'`.execute(orm.em.fork().getKysely());
  await sql`vacuum analyze`.execute(orm.em.fork().getKysely());
  return ids;
}

async function newUser(orm: Orm): Promise<string> {
  const id = newId();
  await sql`insert into users (id, email, name, password_hash, role)
            values (${id}, ${`bench-${id}@example.test`}, 'Bench', 'x', 'customer')`.execute(
    orm.em.fork().getKysely(),
  );
  return id;
}

/** The common ORM way: one order per transaction, a statement per line. */
async function baselineExpire(orm: Orm, ids: string[]): Promise<void> {
  for (const id of ids) {
    await orm.em.fork().transactional(async (em) => {
      const kysely = em.getKysely();
      const { rows } = await sql<{ status: string }>`
        select status from orders where id = ${id} for update`.execute(kysely);
      if (rows[0]?.status !== 'awaiting_payment') return;
      const lines = await sql<{ product_id: string; quantity: number }>`
        select product_id, quantity from order_lines where order_id = ${id}`.execute(kysely);
      for (const line of lines.rows) {
        await sql`update products set stock = stock + ${line.quantity}, version = version + 1, updated_at = now()
                   where id = ${line.product_id}`.execute(kysely);
      }
      await sql`update payments set status = 'expired', updated_at = now() where order_id = ${id}`.execute(
        kysely,
      );
      await sql`update orders set status = 'failed', failure_reason = 'payment_expired', updated_at = now()
                 where id = ${id}`.execute(kysely);
    });
  }
}

async function lapakExpire(orm: Orm): Promise<number> {
  const service = new PaymentService(orm.em.fork(), async () => {});
  let total = 0;
  for (;;) {
    const expired = await service.expireDue(BATCH);
    total += expired.length;
    if (expired.length < BATCH) return total;
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function stockOf(orm: Orm): Promise<number> {
  const { rows } = await sql<{ total: string }>`select sum(stock)::text as total from products`.execute(
    orm.em.fork().getKysely(),
  );
  return Number(rows[0]!.total);
}

async function main() {
  log(`payment-expiry bench: ${fmt(ORDERS)} overdue orders over ${PRODUCTS} products`);
  await createTemplateDatabase(base.DATABASE_URL, database);
  const orm = await createOrm({ databaseUrl, poolMax: 4 });
  try {
    const products = await seedProducts(orm);
    await sql`update shop_settings set max_open_orders_per_user = 500`.execute(orm.em.fork().getKysely());
    const full = await stockOf(orm);

    await overdueOrders(orm, products);
    const lapak = await timed(() => lapakExpire(orm));
    if (lapak.value !== ORDERS || (await stockOf(orm)) !== full)
      throw new Error('Lapak did not expire every order once');
    log(
      `Lapak: ${fmt(lapak.value)} orders in ${lapak.seconds.toFixed(2)} s, ${fmt(lapak.value / lapak.seconds)}/s`,
    );

    const again = await overdueOrders(orm, products);
    const baseline = await timed(() => baselineExpire(orm, again));
    if ((await stockOf(orm)) !== full) throw new Error('the baseline did not give every unit back');
    log(
      `baseline: ${fmt(ORDERS)} orders in ${baseline.seconds.toFixed(2)} s, ${fmt(ORDERS / baseline.seconds)}/s`,
    );

    const lapakRate = ORDERS / lapak.seconds;
    const baselineRate = ORDERS / baseline.seconds;
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = `## Payment expiry (\`bench/payment-expiry.bench.ts\`)

Measured ${when} UTC on ${describeMachine()}; 1-minute load average ${loadAtStart.toFixed(1)} at the start
and ${loadavg()[0]!.toFixed(1)} at the end (other work shares the cores: compare the ratio).

${fmt(ORDERS)} bank-transfer orders of 1–3 lines over ${PRODUCTS} products, reserved by the worker's own
decision and then past their deadline, expired by one sweeper: units back on each product, payments expired,
orders failed \`payment_expired\`. Lapak: \`PaymentService.expireDue\` in transactions of ${fmt(BATCH)}
(orders locked skip-locked, units given back per product in one statement, each product's new stock
outboxed once). Baseline: one order per transaction, its lock, its lines read, an UPDATE per line, then
the payment and the order (no outbox events, which favours it). Both end with every unit back exactly once
(checked).

| | Lapak | baseline | ratio |
|---|---:|---:|---:|
| orders expired per second | ${fmt(lapakRate)} | ${fmt(baselineRate)} | ${(lapakRate / baselineRate).toFixed(1)}× |
| time for ${fmt(ORDERS)} orders | ${lapak.seconds.toFixed(2)} s | ${baseline.seconds.toFixed(2)} s | |`;
    console.log(`\n${section}\n`);
    if (process.env.BENCH_RECORD !== '0')
      log(`recorded in ${writeBenchmarkSection('payment-expiry', section)}`);
  } finally {
    await orm.close();
    await dropDatabases(base.DATABASE_URL, database);
  }
}

await main();
