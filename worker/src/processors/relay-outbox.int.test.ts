import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { CategoryService, OutboxRepository, createRedis, type Redis } from '@lapak/core';
import { useTestEnv } from '@lapak/core/testing';
import { relayOutbox } from './relay-outbox.processor';

const env = useTestEnv();
const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

function queue(name: string): Queue {
  const redis: Redis = createRedis(env.config.REDIS_URL, 'worker');
  const q = new Queue(env.unique(name), { connection: redis, prefix: env.config.REDIS_PREFIX });
  opened.push(q, { close: () => redis.disconnect() });
  return q;
}

describe('outbox relay', () => {
  it('moves committed events into the catalog-sync queue once, with the event id as job id', async () => {
    const catalogSync = queue('catalog-sync');
    const em = env.orm.em.fork();
    const category = await new CategoryService(em).create({ name: 'Rempah' });

    expect(await relayOutbox(env.orm, catalogSync)).toBe(1);
    const [job] = await catalogSync.getJobs(['waiting']);
    expect(job?.data.event).toMatchObject({
      type: 'category.upserted',
      aggregate: { type: 'category', id: category.id, version: 1 },
      data: { name: 'Rempah', slug: 'rempah' },
    });
    expect(job?.id).toBe(job?.data.event.id);

    expect(await relayOutbox(env.orm, catalogSync)).toBe(0);
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

    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from outbox_events where relayed_at is null`.execute(
      env.orm.em.fork().getKysely(),
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});
