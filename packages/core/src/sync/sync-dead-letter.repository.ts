import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AggregateType, SyncDeadLetter } from '@lapak/contracts';

export interface NewDeadLetter {
  eventId: string;
  seq: number;
  type: string;
  aggregate: { type: AggregateType; id: string; version: number };
  flowVersion: string;
  attempts: number;
  lastError: string | null;
  requestId: string | null;
}

interface Row {
  event_id: string;
  seq: string;
  type: string;
  aggregate_type: AggregateType;
  aggregate_id: string;
  aggregate_version: number;
  flow_version: string;
  attempts: number;
  last_error: string | null;
  request_id: string | null;
  dead_at: Date;
  replayed_at: Date | null;
}

const toDto = (row: Row): SyncDeadLetter => ({
  eventId: row.event_id,
  seq: Number(row.seq),
  type: row.type,
  aggregate: { type: row.aggregate_type, id: row.aggregate_id, version: row.aggregate_version },
  flowVersion: row.flow_version,
  attempts: row.attempts,
  lastError: row.last_error,
  requestId: row.request_id,
  deadAt: new Date(row.dead_at).toISOString(),
  replayedAt: row.replayed_at ? new Date(row.replayed_at).toISOString() : null,
});

/**
 * Dead letters: events that failed every attempt. One row per event; dying again after a
 * replay re-opens the row and adds up the attempts.
 */
export class SyncDeadLetterRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  async add(letters: NewDeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const column = <T>(pick: (d: NewDeadLetter) => T) => letters.map(pick);
    await sql`
      insert into sync_dead_letters (event_id, seq, type, aggregate_type, aggregate_id, aggregate_version,
                                     flow_version, attempts, last_error, request_id)
      select * from unnest(
        ${column((d) => d.eventId)}::uuid[], ${column((d) => d.seq)}::bigint[], ${column((d) => d.type)}::text[],
        ${column((d) => d.aggregate.type)}::text[], ${column((d) => d.aggregate.id)}::uuid[],
        ${column((d) => d.aggregate.version)}::int[], ${column((d) => d.flowVersion)}::text[],
        ${column((d) => d.attempts)}::int[], ${column((d) => d.lastError)}::text[], ${column((d) => d.requestId)}::text[])
      on conflict (event_id) do update set
        attempts = sync_dead_letters.attempts + excluded.attempts, last_error = excluded.last_error,
        flow_version = excluded.flow_version, request_id = excluded.request_id, dead_at = now(), replayed_at = null
    `.execute(this.db);
  }

  /** Open dead letters (not replayed), newest first, after the one with sequence `beforeSeq`. */
  async listOpen(options: { beforeSeq?: number; limit: number }): Promise<SyncDeadLetter[]> {
    const { rows } = await sql<Row>`
      select * from sync_dead_letters
       where replayed_at is null and (${options.beforeSeq ?? null}::bigint is null or seq < ${options.beforeSeq ?? null}::bigint)
       order by seq desc limit ${options.limit}
    `.execute(this.db);
    return rows.map(toDto);
  }

  async find(eventId: string): Promise<SyncDeadLetter | null> {
    const { rows } =
      await sql<Row>`select * from sync_dead_letters where event_id = ${eventId}::uuid`.execute(this.db);
    return rows[0] ? toDto(rows[0]) : null;
  }

  async countOpen(): Promise<number> {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from sync_dead_letters where replayed_at is null
    `.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Marks open dead letters replayed and returns them (`eventIds` omitted: all of them). Call
   * inside the transaction that requeues their outbox events.
   */
  async markReplayed(eventIds?: string[]): Promise<SyncDeadLetter[]> {
    const { rows } = await sql<Row>`
      update sync_dead_letters set replayed_at = now()
       where replayed_at is null and (${eventIds ?? null}::uuid[] is null or event_id = any(${eventIds ?? null}::uuid[]))
      returning *
    `.execute(this.db);
    return rows.map(toDto);
  }
}
