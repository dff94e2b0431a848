import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AggregateType, CatalogEvent, CatalogEventType } from '@lapak/contracts';

export interface NewCatalogEvent {
  type: CatalogEventType;
  aggregate: { type: AggregateType; id: string; version: number };
  data: Record<string, unknown>;
}

export interface RelayedEvent {
  seq: number;
  event: CatalogEvent;
}

/** An `outbox_events` row as the relay and the catalog sync read it. */
export interface OutboxRow {
  seq: string;
  event_id: string;
  type: CatalogEventType;
  aggregate_type: AggregateType;
  aggregate_id: string;
  aggregate_version: number;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/** The outbox: catalog events written in the caller's transaction, relayed after commit. */
export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /** Appends events inside the transaction `em` is in (call it from inside `em.transactional`). */
  async append(events: NewCatalogEvent[]): Promise<void> {
    if (events.length === 0) return;
    await sql`
      insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
      select * from unnest(
        ${events.map(() => randomUUID())}::uuid[], ${events.map((e) => e.type)}::text[],
        ${events.map((e) => e.aggregate.type)}::text[], ${events.map((e) => e.aggregate.id)}::uuid[],
        ${events.map((e) => e.aggregate.version)}::int[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[])
    `.execute(this.em.getKysely());
  }

  /**
   * Appends `product.upserted` for each of the products as its row stands in the caller's
   * transaction (call it after the change that bumped the row's version). The event is built by
   * `product_upserted_event` (db/sql/product-upserted-event.sql), the same definition the order
   * decisions' statement uses, so every product event has one shape.
   */
  async appendProductsUpserted(productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await sql`
      insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
      select gen_random_uuid(), e.type, e.aggregate_type, e.aggregate_id, e.aggregate_version, e.payload
        from products p cross join lateral product_upserted_event(p) as e
       where p.id = any(${productIds}::uuid[])
       order by p.id
    `.execute(this.em.getKysely());
  }

  /**
   * Claims up to `limit` unrelayed events in order and hands them to `publish`; marks them
   * relayed only after `publish` resolves, in the same transaction. A crash before the commit
   * leaves them unrelayed, so they are relayed again: at least once.
   */
  async relayBatch(limit: number, publish: (events: RelayedEvent[]) => Promise<void>): Promise<number> {
    return this.em.transactional(async (em) => {
      const db = em.getKysely();
      const { rows } = await sql<OutboxRow>`
        select seq, event_id, type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at
          from outbox_events where relayed_at is null order by seq limit ${limit} for update skip locked
      `.execute(db);
      if (rows.length === 0) return 0;
      await publish(rows.map(toRelayedEvent));
      await sql`update outbox_events set relayed_at = now() where seq = any(${rows.map((r) => r.seq)}::bigint[])`.execute(
        db,
      );
      return rows.length;
    });
  }

  /** How many events wait to be relayed, counting no further than `n` (reads at most `n` rows). */
  async backlogUpTo(n: number): Promise<number> {
    const { rows } = await sql<{ count: string }>`
      select count(*) as count from (select 1 from outbox_events where relayed_at is null order by seq limit ${n}) as waiting
    `.execute(this.em.getKysely());
    return Number(rows[0]?.count ?? 0);
  }

  async backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const { rows } = await sql<{ count: string; oldest: number | null }>`
      select count(*) as count, extract(epoch from now() - min(occurred_at))::float8 as oldest
        from outbox_events where relayed_at is null
    `.execute(this.em.getKysely());
    return { count: Number(rows[0]?.count ?? 0), oldestAgeSeconds: rows[0]?.oldest ?? 0 };
  }
}

/** The catalog event an outbox row carries, in the contract's wire format. */
export function catalogEventOf(row: OutboxRow): CatalogEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: 1,
    occurredAt: new Date(row.occurred_at).toISOString(),
    aggregate: { type: row.aggregate_type, id: row.aggregate_id, version: row.aggregate_version },
    data: row.payload,
  };
}

function toRelayedEvent(row: OutboxRow): RelayedEvent {
  return { seq: Number(row.seq), event: catalogEventOf(row) };
}
