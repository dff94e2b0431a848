/**
 * The order worker as it runs in production: real `tsx worker/src/main.ts` child processes
 * (two or more at once) behind the real HTTP API, on real PostgreSQL and Redis. Checkouts
 * alternate bank transfer and cash on delivery: the decision reserves stock the same way for
 * both (`awaiting_payment` or `confirmed`), so the books count both as taken.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ShopSettingsService, TokenService, type Product } from '@lapak/core';
import { checkoutBody, makeProduct, makeUser, useTestEnv, eventually } from '@lapak/core/testing';
import { useTestApi } from '@lapak/api/src/testing/test-api';
import { stopWorker, useWorkerProcesses, type WorkerProcess } from '@lapak/worker/src/testing/worker-harness';

// A few shoppers place hundreds of orders at once here: the limits that keep one shopper from
// hoarding stock (10 checkouts a minute, 5 open orders) would refuse most of them.
const env = useTestEnv({ CHECKOUT_RATE_LIMIT_PER_USER: '100000' });
const api = useTestApi(env);
beforeAll(async () => {
  await new ShopSettingsService(env.orm.em.fork()).update({ maxOpenOrdersPerUser: 1000 });
});
const workerProcesses = useWorkerProcesses(() => env.config);

const startWorker = (overrides: Record<string, string> = {}) =>
  workerProcesses.start({
    DATABASE_POOL_MAX: '6',
    WORKER_CONCURRENCY: '64',
    WORKER_LOCK_DURATION_MS: '2000',
    ...overrides,
  });

/** A small deterministic random source, so a failing run can be repeated. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

async function shoppers(count: number) {
  const tokens = new TokenService(env.config.JWT_SECRET, 3600);
  const em = env.orm.em.fork();
  return Promise.all(
    Array.from({ length: count }, async () => tokens.issue(await makeUser(em, { password: 'x' }))),
  );
}

type Cart = { productId: string; quantity: number }[];

let checkouts = 0;

/** A checkout of `items`, every other one paid by bank transfer, the rest cash on delivery. */
async function checkout(token: string, items: Cart): Promise<string> {
  const method = checkouts++ % 2 === 0 ? 'bank_transfer' : 'cash_on_delivery';
  const res = await api.request('POST', '/api/v1/orders', {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: checkoutBody(items, method),
  });
  if (res.status !== 202) throw new Error(`checkout answered ${res.status}: ${res.text}`);
  return res.body.id;
}

async function pendingCount(ids: string[]) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from orders where id = any(${ids}::uuid[]) and status = 'pending'`.execute(
    env.db(),
  );
  return rows[0]!.n;
}

const allFinal = (ids: string[], timeoutMs = 120_000) =>
  eventually(`all ${ids.length} orders to be final`, async () => (await pendingCount(ids)) === 0, timeoutMs);

async function processedBy(worker: WorkerProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
  return [...text.matchAll(/^lapak_orders_processed_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

/**
 * The books of each product after a run: what the orders holding stock took (confirmed, or
 * awaiting payment with the stock reserved), final stock and version, and the outbox events its
 * changes wrote (each with the stock after that change).
 */
async function ledger(products: Product[]) {
  const ids = products.map((p) => p.id);
  const taken = await sql<{ product_id: string; units: number }>`
    select l.product_id, sum(l.quantity)::int as units
      from order_lines l join orders o on o.id = l.order_id
     where o.status in ('awaiting_payment', 'confirmed') and l.product_id = any(${ids}::uuid[])
     group by l.product_id`.execute(env.db());
  const rows = await sql<{ id: string; stock: number; version: number }>`
    select id, stock, version from products where id = any(${ids}::uuid[])`.execute(env.db());
  const events = await sql<{
    id: string;
    n: number;
    min_stock: number;
    last_version: number;
    last_stock: number;
  }>`
    select aggregate_id as id, count(*)::int as n, min((payload->>'stock')::int) as min_stock,
           max(aggregate_version) as last_version,
           (array_agg((payload->>'stock')::int order by aggregate_version desc))[1] as last_stock
      from outbox_events where type = 'product.upserted' and aggregate_id = any(${ids}::uuid[])
     group by aggregate_id`.execute(env.db());
  return products.map((p) => {
    const row = rows.rows.find((r) => r.id === p.id)!;
    const event = events.rows.find((e) => e.id === p.id);
    return {
      sku: p.sku,
      initial: p.stock,
      reservedUnits: taken.rows.find((t) => t.product_id === p.id)?.units ?? 0,
      stock: row.stock,
      version: row.version,
      events: event?.n ?? 0,
      lowestStockEverWritten: event?.min_stock ?? p.stock,
      lastEvent: event ? { version: event.last_version, stock: event.last_stock } : null,
    };
  });
}

/** Every product balances: nothing taken twice, nothing lost, every change versioned and outboxed. */
function expectBalanced(books: Awaited<ReturnType<typeof ledger>>) {
  for (const book of books) {
    expect(book.stock, book.sku).toBeGreaterThanOrEqual(0);
    expect(book.lowestStockEverWritten, book.sku).toBeGreaterThanOrEqual(0);
    expect(book.reservedUnits + book.stock, book.sku).toBe(book.initial);
    expect(book.events, book.sku).toBe(book.version - 1);
    if (book.events > 0)
      expect(book.lastEvent, book.sku).toEqual({ version: book.version, stock: book.stock });
  }
}

async function outcomes(ids: string[]) {
  const { rows } = await sql<{ status: string; reason: string | null; n: number }>`
    select status, failure_reason as reason, count(*)::int as n from orders
     where id = any(${ids}::uuid[]) group by 1, 2 order by 1, 2`.execute(env.db());
  return rows;
}

/** Orders that failed out_of_stock although every line could still be filled from the final stock. */
async function wronglyRefused(ids: string[]) {
  const { rows } = await sql<{ id: string }>`
    select o.id from orders o
     where o.id = any(${ids}::uuid[]) and o.failure_reason = 'out_of_stock'
       and not exists (select 1 from order_lines l join products p on p.id = l.product_id
                        where l.order_id = o.id and l.quantity > p.stock)`.execute(env.db());
  return rows.map((r) => r.id);
}

describe('order worker processes', () => {
  it(
    'never oversells: 650 concurrent checkouts on hot products, two worker processes',
    { timeout: 240_000 },
    async () => {
      const em = env.orm.em.fork();
      const hot = await makeProduct(em, { stock: 37, name: 'Hot' });
      const others = [
        await makeProduct(em, { stock: 60 }),
        await makeProduct(em, { stock: 40 }),
        await makeProduct(em, { stock: 25 }),
      ];
      const products = [hot, ...others];
      const tokens = await shoppers(40);
      // One process decides one order per transaction, the other up to 50: both paths race.
      const workers = await Promise.all([
        startWorker({ ORDER_BATCH_MAX: '1' }),
        startWorker({ ORDER_BATCH_MAX: '50' }),
      ]);

      const pick = random(37);
      const carts: Cart[] = [];
      for (let i = 0; i < 500; i++) carts.push([{ productId: hot.id, quantity: 1 }]);
      for (let i = 0; i < 150; i++) {
        const chosen = [...new Set([pick(4), pick(4), pick(4)])].map((k) => products[k]!);
        carts.push(chosen.map((p) => ({ productId: p.id, quantity: 1 + pick(3) })));
      }
      const ids = await Promise.all(carts.map((cart, i) => checkout(tokens[i % tokens.length]!, cart)));
      expect(new Set(ids).size).toBe(650);

      await allFinal(ids);

      const books = await ledger(products);
      expectBalanced(books);
      // Demand far beyond 37: the hot product sells out exactly.
      expect(books[0]).toMatchObject({ stock: 0, reservedUnits: 37 });
      // Every refusal was right: each out_of_stock order has a line the final stock cannot fill.
      expect(await wronglyRefused(ids)).toEqual([]);
      const byOutcome = await outcomes(ids);
      expect(byOutcome.map((o) => `${o.status}:${o.reason}`).sort()).toEqual([
        'awaiting_payment:null',
        'confirmed:null',
        'failed:out_of_stock',
      ]);
      expect(byOutcome.reduce((sum, o) => sum + o.n, 0)).toBe(650);
      // Both processes decided orders, and between them every order exactly once.
      const counts = await Promise.all(workers.map(processedBy));
      expect(counts.every((n) => n > 0)).toBe(true);
      expect(counts[0]! + counts[1]!).toBe(650);
    },
  );

  it(
    'loses nothing and takes nothing twice when a worker is SIGKILLed mid-stream and restarted',
    { timeout: 240_000 },
    async () => {
      const em = env.orm.em.fork();
      const products = [
        await makeProduct(em, { stock: 250 }),
        await makeProduct(em, { stock: 120 }),
        await makeProduct(em, { stock: 2000 }),
      ];
      // Each stock decision on these products takes 100 ms inside its transaction, so the kill
      // lands while the victim holds open transactions and claimed jobs.
      await sql
        .raw(
          `create function slow_stock() returns trigger language plpgsql as $$
           begin perform pg_sleep(0.1); return new; end $$;
           create trigger slow_stock before update on products for each row
             when (new.id in (${products.map((p) => `'${p.id}'`).join(', ')})) execute function slow_stock();`,
        )
        .execute(env.db());
      const tokens = await shoppers(30);
      const pick = random(7);
      const cart = (): Cart =>
        [...new Set([pick(3), pick(3)])].map((k) => ({ productId: products[k]!.id, quantity: 1 + pick(4) }));

      const victim = await startWorker({ ORDER_BATCH_MAX: '20' });
      const survivor = await startWorker({ ORDER_BATCH_MAX: '20' });
      const ids: string[] = [];
      const wave = async (n: number) => {
        ids.push(
          ...(await Promise.all(Array.from({ length: n }, (_, i) => checkout(tokens[i % 30]!, cart())))),
        );
      };

      await wave(250);
      // Kill the victim while it holds jobs, with orders still undecided.
      await eventually('the victim to be mid-stream', async () => (await processedBy(victim)) >= 10, 60_000);
      const killed = stopWorker(victim, 'SIGKILL');
      const [, more] = await Promise.all([killed, wave(250)]);
      void more;
      expect(await killed).toBe('SIGKILL');
      expect(await pendingCount(ids)).toBeGreaterThan(0);
      const restarted = await startWorker({ ORDER_BATCH_MAX: '20' });

      await allFinal(ids);

      expectBalanced(await ledger(products));
      expect(new Set(ids).size).toBe(500);
      const byOutcome = await outcomes(ids);
      // Every order decided on its merits: none given up on, none timed out.
      for (const row of byOutcome)
        expect(['awaiting_payment:null', 'confirmed:null', 'failed:out_of_stock']).toContain(
          `${row.status}:${row.reason}`,
        );
      expect(byOutcome.reduce((sum, o) => sum + o.n, 0)).toBe(500);
      expect(await wronglyRefused(ids)).toEqual([]);
      expect((await processedBy(survivor)) + (await processedBy(restarted))).toBeGreaterThan(0);
      // The kill hit jobs in flight: the victim had claimed them, another process took them over.
      const jobs = await Promise.all(ids.map((id) => api.deps.queues.orders.getJob(id)));
      expect(jobs.filter((job) => (job?.stalledCounter ?? 0) > 0).length).toBeGreaterThan(0);
    },
  );

  it(
    'drains on SIGTERM: finishes the jobs it holds, exits 0, and leaves the rest queued',
    { timeout: 120_000 },
    async () => {
      const em = env.orm.em.fork();
      const product = await makeProduct(em, { stock: 100_000 });
      const tokens = await shoppers(10);
      const worker = await startWorker({ ORDER_BATCH_MAX: '5', WORKER_CONCURRENCY: '10' });
      const ids = await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          checkout(tokens[i % 10]!, [{ productId: product.id, quantity: 1 }]),
        ),
      );
      await eventually('some orders decided', async () => (await processedBy(worker)) >= 20, 60_000);

      expect(await stopWorker(worker, 'SIGTERM')).toBe(0);
      expect(worker.output()).toMatch(/"msg":"worker stopped"/);

      // Nothing was left half-done: no job is still claimed, every order is decided or waits for its job.
      expect(await api.deps.queues.orders.getActiveCount()).toBe(0);
      const { rows } = await sql<{ id: string }>`
      select id from orders where id = any(${ids}::uuid[]) and status = 'pending'`.execute(env.db());
      for (const { id } of rows) expect(await api.deps.queues.orders.getJobState(id)).toBe('waiting');

      await startWorker();
      await allFinal(ids);
      const books = await ledger([product]);
      expectBalanced(books);
      expect(books[0]!.reservedUnits).toBe(400);
    },
  );
});
