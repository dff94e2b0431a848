import type { CatalogEvent } from '@lapak/contracts';
import { ago } from '../db/database';
import { OutboxRepository, catalogEventOf } from '../outbox/outbox.repository';
import { KyselyRepository } from '../db/kysely-repository';

/** An outbox event as the dispatcher delivers it. */
export interface OutboxEventRecord {
  seq: number;
  event: CatalogEvent;
  /** When the change committed (the transaction's clock). */
  occurredAt: Date;
}

/** The outbox as the catalog sync reads it: events by sequence number, requeues, pruning. */
export class SyncOutboxRepository extends KyselyRepository {
  /** The events with these sequence numbers, in order (pruned ones are simply absent). */
  async findBySeqs(seqs: number[]): Promise<OutboxEventRecord[]> {
    const rows = await new OutboxRepository(this.em).findBySeqs(seqs);
    return rows.map((row) => ({ seq: row.seq, occurredAt: row.occurred_at, event: catalogEventOf(row) }));
  }

  /** Sequence numbers of outbox events chosen for a replay. */
  async select(filter: {
    eventIds?: string[];
    aggregateIds?: string[];
    since?: Date;
  }): Promise<{ seq: number; eventId: string }[]> {
    const { eventIds, aggregateIds, since } = filter;
    const rows = await this.db
      .selectFrom('outbox_events')
      .select(['seq', 'event_id'])
      .$if(eventIds !== undefined, (qb) => qb.where('event_id', '=', (eb) => eb.fn.any(eb.val(eventIds!))))
      .$if(aggregateIds !== undefined, (qb) =>
        qb.where('aggregate_id', '=', (eb) => eb.fn.any(eb.val(aggregateIds!))),
      )
      .$if(since !== undefined, (qb) => qb.where('occurred_at', '>=', since!))
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({ seq: row.seq, eventId: row.event_id }));
  }

  /** Puts events back into the relay's way (the relay is woken at commit). */
  async requeue(seqs: number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const result = await this.db
      .updateTable('outbox_events')
      .set({ relayed_at: null })
      .where('seq', '=', (eb) => eb.fn.any(eb.val(seqs)))
      .where('relayed_at', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Deletes relayed events older than `days`. */
  async prune(days: number): Promise<number> {
    const result = await this.db
      .deleteFrom('outbox_events')
      .where('relayed_at', 'is not', null)
      .where((eb) => eb('occurred_at', '<', ago({ days })))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
