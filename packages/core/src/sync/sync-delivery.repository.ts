import type { Selectable } from 'kysely';
import type { SyncDelivery, SyncDeliveryStatus } from '@lapak/contracts';
import { syncDeliveryStatuses } from '@lapak/contracts';
import { ago, type Database } from '../db/database';
import { syncEventColumns, type SyncEventRef } from './sync-event-columns';
import { KyselyRepository } from '../db/kysely-repository';

/** One event in one delivery attempt, as the dispatcher records it. */
export interface NewDelivery extends SyncEventRef {
  attempt: number;
  status: SyncDeliveryStatus;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

type Row = Selectable<Database['sync_deliveries']>;

const toDto = (row: Row): SyncDelivery => ({
  id: String(row.id),
  eventId: row.event_id,
  seq: row.seq,
  aggregate: {
    type: row.aggregate_type,
    id: row.aggregate_id,
    version: row.aggregate_version,
  },
  flowVersion: row.flow_version,
  attempt: row.attempt,
  status: row.status,
  httpStatus: row.http_status,
  latencyMs: row.latency_ms,
  error: row.error,
  requestId: row.request_id,
  createdAt: row.created_at.toISOString(),
});

/** The delivery log: every attempt of every event, newest first when read. */
export class SyncDeliveryRepository extends KyselyRepository {
  async record(deliveries: NewDelivery[]): Promise<void> {
    await this.insertAll(
      'sync_deliveries',
      deliveries.map((d) => ({
        ...syncEventColumns(d),
        attempt: d.attempt,
        status: d.status,
        http_status: d.httpStatus,
        latency_ms: Math.round(d.latencyMs),
        error: d.error,
      })),
    );
  }

  /** Newest first, after the entry `beforeId` (exclusive). */
  async list(options: {
    beforeId?: string;
    limit: number;
    status?: SyncDeliveryStatus;
    eventIds?: string[];
  }) {
    const { beforeId, limit, status, eventIds } = options;
    const rows = await this.db
      .selectFrom('sync_deliveries')
      .selectAll()
      .$if(beforeId !== undefined, (qb) => qb.where('id', '<', Number(beforeId)))
      .$if(status !== undefined, (qb) => qb.where('status', '=', status!))
      .$if(eventIds !== undefined, (qb) => qb.where('event_id', '=', (eb) => eb.fn.any(eb.val(eventIds!))))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDto);
  }

  /** Entries per status in the last `seconds`. */
  async countsSince(seconds: number): Promise<Record<SyncDeliveryStatus, number>> {
    const rows = await this.db
      .selectFrom('sync_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where((eb) => eb('created_at', '>', ago({ seconds })))
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(syncDeliveryStatuses.map((s) => [s, 0])) as Record<
      SyncDeliveryStatus,
      number
    >;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** When the catalog flow last applied an event in Directus (the automation flows' entries aside). */
  async lastAppliedAt(): Promise<Date | null> {
    const row = await this.db
      .selectFrom('sync_deliveries')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('status', '=', 'applied')
      // Catalog flow versions are `v1`, `v2`, …; an automation flow is logged by its name.
      .where('flow_version', '~', '^v[0-9]+$')
      .executeTakeFirst();
    return row?.at ?? null;
  }

  /** The latest entry of each event since `since` (a replay watches these). */
  async latestFor(eventIds: string[], since: Date): Promise<Map<string, SyncDelivery>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('sync_deliveries')
      .distinctOn('event_id')
      .selectAll()
      .where('event_id', '=', (eb) => eb.fn.any(eb.val(eventIds)))
      .where('created_at', '>=', since)
      .orderBy('event_id')
      .orderBy('id', 'desc')
      .execute();
    return new Map(rows.map((row) => [row.event_id, toDto(row)]));
  }

  async prune(days: number): Promise<number> {
    const result = await this.db
      .deleteFrom('sync_deliveries')
      .where((eb) => eb('created_at', '<', ago({ days })))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
