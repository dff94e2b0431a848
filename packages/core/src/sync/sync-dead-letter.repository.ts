import type { Selectable } from 'kysely';
import type { SyncDeadLetter } from '@lapak/contracts';
import type { Database } from '../db/database';
import { syncEventColumns, type SyncEventRef } from './sync-event-columns';
import { KyselyRepository } from '../db/kysely-repository';

export interface NewDeadLetter extends SyncEventRef {
  type: string;
  attempts: number;
  lastError: string | null;
}

type Row = Selectable<Database['sync_dead_letters']>;

const toDto = (row: Row): SyncDeadLetter => ({
  eventId: row.event_id,
  seq: row.seq,
  type: row.type,
  aggregate: { type: row.aggregate_type, id: row.aggregate_id, version: row.aggregate_version },
  flowVersion: row.flow_version,
  attempts: row.attempts,
  lastError: row.last_error,
  requestId: row.request_id,
  deadAt: row.dead_at.toISOString(),
  replayedAt: row.replayed_at ? row.replayed_at.toISOString() : null,
});

/**
 * Dead letters: events that failed every attempt. One row per event; dying again after a
 * replay re-opens the row and adds up the attempts.
 */
export class SyncDeadLetterRepository extends KyselyRepository {
  async add(letters: NewDeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db
      .insertInto('sync_dead_letters')
      .values(
        letters.map((d) => ({
          ...syncEventColumns(d),
          type: d.type,
          attempts: d.attempts,
          last_error: d.lastError,
        })),
      )
      .onConflict((oc) =>
        oc.column('event_id').doUpdateSet((eb) => ({
          attempts: eb('sync_dead_letters.attempts', '+', eb.ref('excluded.attempts')),
          last_error: eb.ref('excluded.last_error'),
          flow_version: eb.ref('excluded.flow_version'),
          request_id: eb.ref('excluded.request_id'),
          dead_at: eb.fn('now'),
          replayed_at: null,
        })),
      )
      .execute();
  }

  /** Open dead letters (not replayed), newest first, after the one with sequence `beforeSeq`. */
  async listOpen(options: { beforeSeq?: number; limit: number }): Promise<SyncDeadLetter[]> {
    const rows = await this.db
      .selectFrom('sync_dead_letters')
      .selectAll()
      .where('replayed_at', 'is', null)
      .$if(options.beforeSeq !== undefined, (qb) => qb.where('seq', '<', options.beforeSeq!))
      .orderBy('seq', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map(toDto);
  }

  async find(eventId: string): Promise<SyncDeadLetter | null> {
    const row = await this.db
      .selectFrom('sync_dead_letters')
      .selectAll()
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row ? toDto(row) : null;
  }

  async countOpen(): Promise<number> {
    const row = await this.db
      .selectFrom('sync_dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('replayed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /**
   * Marks open dead letters replayed and returns them (`eventIds` omitted: all of them). Call
   * inside the transaction that requeues their outbox events.
   */
  async markReplayed(eventIds?: string[]): Promise<SyncDeadLetter[]> {
    const rows = await this.db
      .updateTable('sync_dead_letters')
      .set((eb) => ({ replayed_at: eb.fn('now') }))
      .where('replayed_at', 'is', null)
      .$if(eventIds !== undefined, (qb) => qb.where('event_id', '=', (eb) => eb.fn.any(eb.val(eventIds!))))
      .returningAll()
      .execute();
    return rows.map(toDto);
  }
}
