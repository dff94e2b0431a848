import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CatalogEvent } from '@lapak/contracts';
import { catalogEventOf, type OutboxRow } from '../outbox/outbox.repository';

/** An outbox event as the dispatcher delivers it. */
export interface OutboxEventRecord {
  seq: number;
  event: CatalogEvent;
  /** When the change committed (the transaction's clock). */
  occurredAt: Date;
}

/** The outbox as the catalog sync reads it: events by sequence number, requeues, pruning. */
export class SyncOutboxRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  /** The events with these sequence numbers, in order (pruned ones are simply absent). */
  async findBySeqs(seqs: number[]): Promise<OutboxEventRecord[]> {
    if (seqs.length === 0) return [];
    const { rows } = await sql<OutboxRow>`
      select seq, event_id, type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at
        from outbox_events where seq = any(${seqs}::bigint[]) order by seq
    `.execute(this.db);
    return rows.map((row) => ({
      seq: Number(row.seq),
      occurredAt: new Date(row.occurred_at),
      event: catalogEventOf(row),
    }));
  }

  /** Sequence numbers of outbox events chosen for a replay. */
  async select(filter: {
    eventIds?: string[];
    aggregateIds?: string[];
    since?: Date;
  }): Promise<{ seq: number; eventId: string }[]> {
    const { eventIds, aggregateIds, since } = filter;
    const { rows } = await sql<{ seq: string; event_id: string }>`
      select seq, event_id from outbox_events
       where (${eventIds ?? null}::uuid[] is null or event_id = any(${eventIds ?? null}::uuid[]))
         and (${aggregateIds ?? null}::uuid[] is null or aggregate_id = any(${aggregateIds ?? null}::uuid[]))
         and (${since ?? null}::timestamptz is null or occurred_at >= ${since ?? null}::timestamptz)
       order by seq
    `.execute(this.db);
    return rows.map((row) => ({ seq: Number(row.seq), eventId: row.event_id }));
  }

  /** Puts events back into the relay's way (the relay is woken at commit). */
  async requeue(seqs: number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const result = await sql`
      update outbox_events set relayed_at = null where seq = any(${seqs}::bigint[]) and relayed_at is not null
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Deletes relayed events older than `days`. */
  async prune(days: number): Promise<number> {
    const result = await sql`
      delete from outbox_events where relayed_at is not null and occurred_at < now() - make_interval(days => ${days})
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
