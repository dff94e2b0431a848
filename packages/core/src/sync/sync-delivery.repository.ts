import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AggregateType, SyncDelivery, SyncDeliveryStatus } from '@lapak/contracts';
import { syncDeliveryStatuses } from '@lapak/contracts';

/** One event in one delivery attempt, as the dispatcher records it. */
export interface NewDelivery {
  eventId: string;
  seq: number;
  aggregate: { type: AggregateType; id: string; version: number };
  flowVersion: string;
  attempt: number;
  status: SyncDeliveryStatus;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  requestId: string | null;
}

interface Row {
  id: string;
  event_id: string;
  seq: string;
  aggregate_type: AggregateType;
  aggregate_id: string;
  aggregate_version: number;
  flow_version: string;
  attempt: number;
  status: SyncDeliveryStatus;
  http_status: number | null;
  latency_ms: number;
  error: string | null;
  request_id: string | null;
  created_at: Date;
}

const toDto = (row: Row): SyncDelivery => ({
  id: row.id,
  eventId: row.event_id,
  seq: Number(row.seq),
  aggregate: { type: row.aggregate_type, id: row.aggregate_id, version: row.aggregate_version },
  flowVersion: row.flow_version,
  attempt: row.attempt,
  status: row.status,
  httpStatus: row.http_status,
  latencyMs: row.latency_ms,
  error: row.error,
  requestId: row.request_id,
  createdAt: new Date(row.created_at).toISOString(),
});

/** The delivery log: every attempt of every event, newest first when read. */
export class SyncDeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  async record(deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const column = <T>(pick: (d: NewDelivery) => T) => deliveries.map(pick);
    await sql`
      insert into sync_deliveries (event_id, seq, aggregate_type, aggregate_id, aggregate_version, flow_version,
                                   attempt, status, http_status, latency_ms, error, request_id)
      select * from unnest(
        ${column((d) => d.eventId)}::uuid[], ${column((d) => d.seq)}::bigint[],
        ${column((d) => d.aggregate.type)}::text[], ${column((d) => d.aggregate.id)}::uuid[],
        ${column((d) => d.aggregate.version)}::int[], ${column((d) => d.flowVersion)}::text[],
        ${column((d) => d.attempt)}::int[], ${column((d) => d.status)}::text[],
        ${column((d) => d.httpStatus)}::int[], ${column((d) => Math.round(d.latencyMs))}::int[],
        ${column((d) => d.error)}::text[], ${column((d) => d.requestId)}::text[])
    `.execute(this.db);
  }

  /** Newest first, after the entry `beforeId` (exclusive). */
  async list(options: {
    beforeId?: string;
    limit: number;
    status?: SyncDeliveryStatus;
    eventIds?: string[];
  }) {
    const { beforeId, limit, status, eventIds } = options;
    const { rows } = await sql<Row>`
      select * from sync_deliveries
       where (${beforeId ?? null}::bigint is null or id < ${beforeId ?? null}::bigint)
         and (${status ?? null}::text is null or status = ${status ?? null}::text)
         and (${eventIds ?? null}::uuid[] is null or event_id = any(${eventIds ?? null}::uuid[]))
       order by id desc limit ${limit}
    `.execute(this.db);
    return rows.map(toDto);
  }

  /** Entries per status in the last `seconds`. */
  async countsSince(seconds: number): Promise<Record<SyncDeliveryStatus, number>> {
    const { rows } = await sql<{ status: SyncDeliveryStatus; n: string }>`
      select status, count(*) as n from sync_deliveries
       where created_at > now() - make_interval(secs => ${seconds}) group by status
    `.execute(this.db);
    const counts = Object.fromEntries(syncDeliveryStatuses.map((s) => [s, 0])) as Record<
      SyncDeliveryStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async lastAppliedAt(): Promise<Date | null> {
    const { rows } = await sql<{ at: Date | null }>`
      select max(created_at) as at from sync_deliveries where status = 'applied'
    `.execute(this.db);
    return rows[0]?.at ? new Date(rows[0].at) : null;
  }

  /** The latest entry of each event since `since` (a replay watches these). */
  async latestFor(eventIds: string[], since: Date): Promise<Map<string, SyncDelivery>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await sql<Row>`
      select distinct on (event_id) * from sync_deliveries
       where event_id = any(${eventIds}::uuid[]) and created_at >= ${since}
       order by event_id, id desc
    `.execute(this.db);
    return new Map(rows.map((row) => [row.event_id, toDto(row)]));
  }

  async prune(days: number): Promise<number> {
    const result = await sql`
      delete from sync_deliveries where created_at < now() - make_interval(days => ${days})
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
