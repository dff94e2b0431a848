/**
 * Payment expiry as it runs in production: the sweeper inside real `tsx worker/src/main.ts`
 * child processes, several at once, one of them killed while expiries are being written, on real
 * PostgreSQL and Redis. Each unpaid order must expire exactly once: its units back on the shelf
 * once, never twice, and every stock change versioned and outboxed.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { OrderProcessingService, newId, type Product } from '@lapak/core';
import {
  OrderRepository,
  makeProduct,
  makeUser,
  sampleShippingAddress,
  storedStock,
  useTestEnv,
  eventually,
} from '@lapak/core/testing';
import { stopWorker, useWorkerProcesses } from '@lapak/worker/src/testing/worker-harness';

const env = useTestEnv();
const workerProcesses = useWorkerProcesses(() => env.config);

const startWorker = () =>
  workerProcesses.start({
    DATABASE_POOL_MAX: '4',
    WORKER_LOCK_DURATION_MS: '2000',
    // The sweeper runs every tenth of this: a sweep every 250 ms.
    ORDER_PENDING_TIMEOUT_MS: '2500',
  });

/**
 * `count` bank-transfer orders of one unit each, spread over `products`, decided: awaiting
 * payment; 500 per shopper, within the shop's open-order cap raised for the test.
 */
async function reservedOrders(products: Product[], count: number): Promise<string[]> {
  await sql`update shop_settings set max_open_orders_per_user = 500`.execute(env.db());
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const user = await makeUser(env.orm.em.fork());
    const checkouts = Array.from({ length: Math.min(500, count - start) }, (_, k) => ({
      id: newId(),
      userId: user.id,
      lines: [{ productId: products[(start + k) % products.length]!.id, quantity: 1 }],
      shippingAddress: sampleShippingAddress,
      paymentMethod: 'bank_transfer' as const,
      key: { userId: user.id, key: newId(), requestHash: 'expiry' },
    }));
    const stored = await new OrderRepository(env.orm.em.fork()).insertCheckouts(checkouts);
    expect(stored.every((result) => result.status === 'created')).toBe(true);
    const batch = checkouts.map((checkout) => checkout.id);
    await new OrderProcessingService(env.orm.em.fork()).decide(batch);
    ids.push(...batch);
  }
  return ids;
}

async function statusCounts(ids: string[]) {
  const { rows } = await sql<{ status: string; reason: string | null; payment: string; n: number }>`
    select o.status, o.failure_reason as reason, pm.status as payment, count(*)::int as n
      from orders o join payments pm on pm.order_id = o.id
     where o.id = any(${ids}::uuid[]) group by 1, 2, 3 order by 1, 2, 3`.execute(env.db());
  return rows;
}

async function expiredCount(ids: string[]) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from orders where id = any(${ids}::uuid[]) and status = 'failed'`.execute(
    env.db(),
  );
  return rows[0]!.n;
}

describe('payment expiry on worker processes', () => {
  it(
    'expires 6,000 unpaid orders exactly once across three sweeping processes, one killed mid-sweep',
    { timeout: 240_000 },
    async () => {
      const em = env.orm.em.fork();
      const products: Product[] = [];
      for (let i = 0; i < 40; i++) products.push(await makeProduct(em, { stock: 200 }));
      const ids = await reservedOrders(products, 6000);
      expect(await statusCounts(ids)).toEqual([
        { status: 'awaiting_payment', reason: null, payment: 'pending', n: 6000 },
      ]);
      expect((await storedStock(env, products[0]!.id)).stock).toBe(50);

      const workers = await Promise.all([startWorker(), startWorker(), startWorker()]);
      await sql`update payments set due_at = now() - interval '1 second' where order_id = any(${ids}::uuid[])`.execute(
        env.db(),
      );

      // Kill one process as soon as expiries are landing and before they are all written.
      let killedAt = -1;
      await eventually(
        'expiries to start landing',
        async () => {
          const done = await expiredCount(ids);
          if (done > 0 && done < ids.length) {
            await stopWorker(workers[0]!);
            killedAt = done;
            return true;
          }
          if (done === ids.length) throw new Error('all expired before a process could be killed');
          return false;
        },
        60_000,
        5,
      );
      expect(killedAt).toBeGreaterThan(0);

      await eventually(
        'every order to expire',
        async () => (await expiredCount(ids)) === ids.length,
        120_000,
      );

      expect(await statusCounts(ids)).toEqual([
        { status: 'failed', reason: 'payment_expired', payment: 'expired', n: 6000 },
      ]);
      // Units back exactly once per order: each product at its initial stock; each change one
      // version and one event, the last event carrying the stock as it is.
      const { rows } = await sql<{
        id: string;
        stock: number;
        version: number;
        events: number;
        last: number;
      }>`
        select p.id, p.stock, p.version,
               (select count(*)::int from outbox_events e where e.aggregate_id = p.id and e.type = 'product.upserted') as events,
               (select (e.payload->>'stock')::int from outbox_events e where e.aggregate_id = p.id
                 order by e.aggregate_version desc limit 1) as last
          from products p where p.id = any(${products.map((p) => p.id)}::uuid[])`.execute(env.db());
      for (const row of rows) {
        expect(row.stock, row.id).toBe(200);
        expect(row.events, row.id).toBe(row.version - 1);
        expect(row.last, row.id).toBe(200);
      }
      // The two survivors did the sweeping after the kill. A sweep logs what it did when it ends,
      // after the pending-order checks that follow the last expiry, so the line comes a little later.
      await eventually('a surviving process to log its sweep', () =>
        workers.slice(1).some((worker) => /"expired":\d+/.test(worker.output())),
      );
    },
  );
});
