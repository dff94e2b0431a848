import { afterAll, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../auth/auth-rate-limiter';
import { createLogger } from '../logging/logger';
import { createRedis } from '../redis/redis';
import { makeOrder, makeProduct, makeUser } from '../testing/factories';
import { useTestEnv } from '../testing/test-env';
import type { OrderStatusEvent } from './order-status-events';
import { OrderStatusHub, orderStatusReader, type OrderStatusHubOptions } from './order-status-hub';

const env = useTestEnv();
const log = createLogger({ level: 'silent', name: 'test' });
const hubs: OrderStatusHub[] = [];
const connections: ReturnType<typeof createRedis>[] = [];
afterAll(async () => {
  for (const hub of hubs) await hub.close();
  for (const redis of connections) redis.disconnect();
});

/** A hub on its own Redis connections, as one API process has; `reads` records each status read. */
async function hubOf(options: Partial<OrderStatusHubOptions> & { prefix?: string } = {}) {
  const reads: string[][] = [];
  const read = orderStatusReader(() => env.orm.em.fork());
  const redis = createRedis(env.config.REDIS_URL, 'producer');
  connections.push(redis);
  // A producer connection queues nothing while it connects (and a hub that cannot count allows).
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const hub = new OrderStatusHub(
    createRedis(env.config.REDIS_URL, 'worker'),
    redis,
    options.prefix ?? env.config.REDIS_PREFIX,
    log,
    {
      perWatcher: 100,
      perProcess: 1000,
      lifetimeMs: 60_000,
      recheckMs: 100,
      ...options,
      read: async (ids) => {
        reads.push(ids);
        return read(ids);
      },
    },
  );
  hubs.push(hub);
  return { hub, reads };
}

async function orders(count: number) {
  const em = env.orm.em.fork();
  const user = await makeUser(em);
  const product = await makeProduct(em);
  const made = [];
  for (let i = 0; i < count; i++) made.push(await makeOrder(em, { user, lines: [{ product, quantity: 1 }] }));
  return made;
}

describe('OrderStatusHub', () => {
  it('re-reads every watched order in one query per heartbeat, however many streams watch', async () => {
    const { hub, reads } = await hubOf({ recheckMs: 100 });
    const watched = await orders(10);
    const seen = new Map<string, OrderStatusEvent[]>();
    const watches = [];
    // Three streams per order: thirty streams, ten orders.
    for (const order of watched) {
      for (let copy = 0; copy < 3; copy++) {
        const key = `${order.id}#${copy}`;
        seen.set(key, []);
        watches.push(await hub.open(`user-${copy}`, order.id, (event) => seen.get(key)!.push(event)));
      }
    }
    expect(hub.openStreams).toBe(30);
    expect(hub.watchedOrders).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 550));
    for (const watch of watches) watch.close();
    // About one read per 100 ms, each of all ten orders at once (timers may slip on a busy machine).
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.length).toBeLessThanOrEqual(6);
    for (const ids of reads) expect([...ids].sort()).toEqual(watched.map((order) => order.id).sort());
    // Every stream got the status from each read.
    for (const [key, events] of seen) {
      expect(events.length, key).toBe(reads.length);
      expect(events[0]).toMatchObject({ orderId: key.split('#')[0], status: 'pending' });
    }
    // Nothing watched: no more reads.
    const after = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(reads.length).toBe(after);
    expect(hub.openStreams).toBe(0);
  });

  it('counts a user’s streams across processes, and a dead process’s slots lapse with their lifetime', async () => {
    const prefix = `${env.config.REDIS_PREFIX}-${env.unique('slots')}`;
    const [order] = await orders(1);
    const first = await hubOf({ prefix, perWatcher: 2, lifetimeMs: 800 });
    const second = await hubOf({ prefix, perWatcher: 2, lifetimeMs: 60_000 });
    await first.hub.open('siti', order!.id, () => undefined);
    const kept = await second.hub.open('siti', order!.id, () => undefined);
    const refused = await second.hub
      .open('siti', order!.id, () => undefined)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfter).toBe(1);
    // Someone else is not held back.
    (await second.hub.open('budi', order!.id, () => undefined)).close();
    // Closing frees the slot at once.
    kept.close();
    await expect
      .poll(async () => (await second.hub.open('siti', order!.id, () => undefined)).close())
      .toBe(undefined);
    // The first process "dies" with its stream open: its slot lapses after that stream's lifetime.
    await first.hub.close();
    const a = await second.hub.open('siti', order!.id, () => undefined);
    await expect(second.hub.open('siti', order!.id, () => undefined)).rejects.toThrow(RateLimitedError);
    await new Promise((resolve) => setTimeout(resolve, 900));
    const b = await second.hub.open('siti', order!.id, () => undefined);
    await expect(second.hub.open('siti', order!.id, () => undefined)).rejects.toThrow(RateLimitedError);
    a.close();
    b.close();
  });

  it('refuses past the process cap before touching Redis, and frees the place on close', async () => {
    const { hub } = await hubOf({ perProcess: 2 });
    const [order] = await orders(1);
    const a = await hub.open('a', order!.id, () => undefined);
    const b = await hub.open('b', order!.id, () => undefined);
    await expect(hub.open('c', order!.id, () => undefined)).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 5,
    });
    a.close();
    a.close(); // closing twice frees one place only
    const c = await hub.open('c', order!.id, () => undefined);
    await expect(hub.open('d', order!.id, () => undefined)).rejects.toThrow(RateLimitedError);
    b.close();
    c.close();
    expect(hub.openStreams).toBe(0);
  });
});
