import type { Queue } from 'bullmq';
import { OutboxRepository, type Orm } from '@lapak/core';

/**
 * Moves committed outbox events into the catalog-sync queue, one job per event with the
 * event id as job id (so a re-relay after a crash adds nothing twice). Returns how many moved.
 */
export async function relayOutbox(orm: Orm, catalogSync: Queue, batchSize = 500): Promise<number> {
  const outbox = new OutboxRepository(orm.em.fork());
  let moved = 0;
  for (;;) {
    const count = await outbox.relayBatch(batchSize, async (events) => {
      await catalogSync.addBulk(
        events.map(({ seq, event }) => ({
          name: event.type,
          data: { seq, event },
          opts: { jobId: event.id, removeOnComplete: 1000, removeOnFail: false },
        })),
      );
    });
    moved += count;
    if (count < batchSize) return moved;
  }
}
