import { afterEach, describe, expect, it } from 'vitest';
import { Queue, Worker } from 'bullmq';
import { sql } from 'kysely';
import type { CatalogSyncJob } from '@lapak/contracts';
import { CategoryService, SyncAdminService, createLogger, createRedis, type Redis } from '@lapak/core';
import { useTestEnv, OutboxRepository, eventually } from '@lapak/core/testing';
import { OutboxRelay, relayOutbox } from './relay-outbox.processor';

const env = useTestEnv();
const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
  await sql`update outbox_events set relayed_at = now() where relayed_at is null`.execute(
    env.orm.em.fork().getKysely(),
  );
});

function queue(name: string): Queue {
  const redis: Redis = createRedis(env.config.REDIS_URL, 'worker');
  const q = new Queue(env.unique(name), { connection: redis, prefix: env.config.REDIS_PREFIX });
  opened.push({ close: () => redis.disconnect() }, q);
  return q;
}

/** A relay on `catalogSync` that only commits and kicks wake (its poll is a minute away). */
const relayFor = (
  catalogSync: Queue,
  options: { batchSize?: number; lingerMs?: number; maxInFlight?: number } = {},
) =>
  new OutboxRelay({
    orm: env.orm,
    queue: catalogSync,
    automation: queue('automation'),
    databaseUrl: env.config.DATABASE_URL,
    logger: createLogger({ level: 'silent', name: 'test' }),
    batchSize: 500,
    pollMs: 60_000,
    ...options,
  });

/**
 * Runs the relay once more after the caller's commits and waits for that run to end: a run
 * already under way finishes first, then the kicked one starts, so the one waited for began
 * after the commits.
 */
const ranSince = async (relay: OutboxRelay) => {
  const mark = relay.runs.started;
  relay.kick();
  await eventually('a relay run after the change', async () => relay.runs.finished > mark, 5000);
};

/**
 * A dispatcher that records each batch it takes and holds the deliveries (all of them, or the
 * first only) until `release()`; it kicks the relay when it takes or finishes a job, as the
 * worker's does. Starts the relay; closes both after the test.
 */
async function holdingDispatcher(
  catalogSync: Queue,
  relay: OutboxRelay,
  options: { concurrency?: number; holdFirstOnly?: boolean } = {},
) {
  let release = () => {};
  const delivering = new Promise<void>((resolve) => (release = resolve));
  const connection = createRedis(env.config.REDIS_URL, 'worker');
  const seen: number[][] = [];
  const dispatcher = new Worker(
    catalogSync.name,
    async (job) => {
      seen.push((job.data as CatalogSyncJob).seqs);
      if (!options.holdFirstOnly || seen.length === 1) await delivering;
    },
    { connection, prefix: env.config.REDIS_PREFIX, concurrency: options.concurrency ?? 1 },
  );
  for (const event of ['active', 'completed'] as const) dispatcher.on(event, () => relay.kick());
  opened.push({ close: () => connection.disconnect() }, dispatcher);
  await relay.start();
  // Closed first: a delivery still held would keep the dispatcher from closing.
  opened.push({ close: () => relay.stop() }, { close: () => release() });
  return { seen, release: () => release() };
}

const unrelayed = async () => {
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as n from outbox_events where relayed_at is null`.execute(env.orm.em.fork().getKysely());
  return Number(rows[0]!.n);
};

describe('outbox relay', () => {
  it('moves committed events into the catalog-sync queue as one job of sequence numbers, once', async () => {
    const catalogSync = queue('catalog-sync');
    const categories = new CategoryService(env.orm.em.fork());
    await categories.create({ name: 'Rempah' });
    await categories.create({ name: 'Kopi' });

    expect(await relayOutbox(env.orm, { catalogSync, automation: queue('automation') })).toBe(2);
    const [job] = await catalogSync.getJobs(['waiting']);
    const data = job?.data as CatalogSyncJob;
    expect(data.seqs).toHaveLength(2);
    expect(data.attempt).toBe(1);
    expect(data.requestId).toMatch(/^sync-/);

    expect(await relayOutbox(env.orm, { catalogSync, automation: queue('automation') })).toBe(0);
    expect(await catalogSync.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('leaves events unrelayed when publishing fails, so nothing is lost', async () => {
    await new CategoryService(env.orm.em.fork()).create({ name: 'Teh Hijau' });
    const outbox = new OutboxRepository(env.orm.em.fork());
    await expect(
      outbox.relayBatch(10, async () => {
        throw new Error('Redis went away');
      }),
    ).rejects.toThrow('Redis went away');
    expect(await unrelayed()).toBe(1);
  });

  it('woken while idle, lingers so that the changes committed meanwhile go out as one job', async () => {
    const catalogSync = queue('catalog-sync');
    const relay = relayFor(catalogSync, { lingerMs: 1500 });
    await relay.start();
    opened.push({ close: () => relay.stop() });
    await eventually('its first look at the outbox', async () => relay.runs.finished >= 1, 5000);
    const categories = new CategoryService(env.orm.em.fork());

    const firstCommit = Date.now();
    await categories.create({ name: 'Jintan' });
    await categories.create({ name: 'Ketumbar' });
    await categories.create({ name: 'Lada Hitam' });
    expect(await catalogSync.getWaitingCount()).toBe(0);

    await eventually('the job', async () => (await catalogSync.getWaitingCount()) === 1, 5000);
    expect(Date.now() - firstCommit).toBeGreaterThanOrEqual(1400);
    const [job] = await catalogSync.getJobs(['waiting']);
    expect((job!.data as CatalogSyncJob).seqs).toHaveLength(3);
    expect(await unrelayed()).toBe(0);
  });

  it('wakes at the commit of a change (no poll), and holds events back while a job is waiting', async () => {
    const catalogSync = queue('catalog-sync');
    const relay = relayFor(catalogSync);
    await relay.start();
    opened.push({ close: () => relay.stop() });
    const categories = new CategoryService(env.orm.em.fork());

    await categories.create({ name: 'Gula Aren' });
    await eventually('the first job', async () => (await catalogSync.getWaitingCount()) === 1, 5000);

    // A job waits: the next changes stay in the outbox and later travel together.
    await categories.create({ name: 'Cengkeh' });
    await categories.create({ name: 'Pala' });
    await ranSince(relay);
    expect(await catalogSync.getWaitingCount()).toBe(1);
    expect(await unrelayed()).toBe(2);

    const [first] = await catalogSync.getJobs(['waiting']);
    await first!.remove();
    relay.kick();
    await eventually('the second job', async () => (await catalogSync.getWaitingCount()) === 1, 5000);
    const [second] = await catalogSync.getJobs(['waiting']);
    expect((second!.data as CatalogSyncJob).seqs).toHaveLength(2);
  });

  it('holds a small batch while one is being delivered, and queues a full one behind it', async () => {
    const catalogSync = queue('catalog-sync');
    const relay = relayFor(catalogSync, { batchSize: 3 });
    const { seen, release } = await holdingDispatcher(catalogSync, relay, { holdFirstOnly: true });
    const categories = new CategoryService(env.orm.em.fork());

    await categories.create({ name: 'Kemiri' });
    await eventually('the first batch in flight', async () => seen.length === 1, 5000);
    await categories.create({ name: 'Kapulaga' });
    await ranSince(relay);
    expect(await catalogSync.getWaitingCount()).toBe(0);
    expect(await unrelayed()).toBe(1);

    // A full batch goes into the queue behind the one in flight.
    await categories.create({ name: 'Jahe' });
    await categories.create({ name: 'Kunyit' });
    await eventually('a full batch waiting', async () => (await catalogSync.getWaitingCount()) === 1, 5000);
    expect(await unrelayed()).toBe(0);

    release();
    await eventually('both batches delivered', async () => seen.length === 2, 5000);
    expect(seen[1]).toHaveLength(3);
  });

  it('with room for more batches in flight, sends a small one at once beside the one being delivered', async () => {
    const catalogSync = queue('catalog-sync');
    const relay = relayFor(catalogSync, { batchSize: 3, maxInFlight: 2 });
    const { seen, release } = await holdingDispatcher(catalogSync, relay, { concurrency: 2 });
    const categories = new CategoryService(env.orm.em.fork());

    await categories.create({ name: 'Andaliman' });
    await eventually('the first batch in flight', async () => seen.length === 1, 5000);
    await categories.create({ name: 'Kecombrang' });
    await eventually('the second batch in flight beside it', async () => seen.length === 2, 5000);
    expect(seen.map((seqs) => seqs.length)).toEqual([1, 1]);

    // Both slots taken: a small change now waits in the outbox.
    await categories.create({ name: 'Asam Kandis' });
    await ranSince(relay);
    expect(await catalogSync.getWaitingCount()).toBe(0);
    expect(await unrelayed()).toBe(1);
    release();
    await eventually('the third batch', async () => seen.length === 3, 5000);
  });

  it('relays a replayed dead letter again (the requeue notifies the relay)', async () => {
    const catalogSync = queue('catalog-sync');
    await new CategoryService(env.orm.em.fork()).create({ name: 'Kayu Manis' });
    await relayOutbox(env.orm, { catalogSync, automation: queue('automation') });
    const [job] = await catalogSync.getJobs(['waiting']);
    await job!.remove();
    const { seqs } = job!.data as CatalogSyncJob;
    const { rows } = await sql<{
      event_id: string;
    }>`select event_id from outbox_events where seq = ${seqs[0]}`.execute(env.orm.em.fork().getKysely());
    await sql`insert into sync_dead_letters (event_id, seq, type, aggregate_type, aggregate_id, aggregate_version, flow_version, attempts)
              select event_id, seq, type, aggregate_type, aggregate_id, aggregate_version, 'v1', 10 from outbox_events where seq = ${seqs[0]}`.execute(
      env.orm.em.fork().getKysely(),
    );

    const relay = relayFor(catalogSync);
    await relay.start();
    opened.push({ close: () => relay.stop() });
    const replayed = await new SyncAdminService(env.orm.em.fork()).replayDeadLetter(rows[0]!.event_id);
    expect(replayed.replayedAt).not.toBeNull();
    await eventually('the replay job', async () => (await catalogSync.getWaitingCount()) === 1, 5000);
    const [again] = await catalogSync.getJobs(['waiting']);
    expect((again!.data as CatalogSyncJob).seqs).toEqual(seqs);
    await expect(
      new SyncAdminService(env.orm.em.fork()).replayDeadLetter(rows[0]!.event_id),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
