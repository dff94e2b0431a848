import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { AggregateType, CatalogEvent, CatalogEventType } from '@lapak/contracts';
import { db, type Database } from '../db/database';
import type { ProductUpsertedEventRow } from '../db/sql/sql-function-rows';
import { KyselyRepository } from '../db/kysely-repository';

export interface NewCatalogEvent {
  type: CatalogEventType;
  aggregate: { type: AggregateType; id: string; version: number };
  data: Record<string, unknown>;
}

/** An event the relay moves: its sequence number and type (the type decides where it goes). */
export interface RelayedEvent {
  seq: number;
  type: OutboxRow['type'];
}

/** The columns of an outbox event the relay and the catalog sync read. */
export const outboxEventColumns = [
  'seq',
  'event_id',
  'type',
  'aggregate_type',
  'aggregate_id',
  'aggregate_version',
  'payload',
  'occurred_at',
] as const;

/** An `outbox_events` row as the relay and the catalog sync read it. */
export type OutboxRow = Pick<Selectable<Database['outbox_events']>, (typeof outboxEventColumns)[number]>;

/**
 * The outbox: catalog events written in the caller's transaction, relayed after commit (domain
 * events are written by triggers, db/sql/order-domain-event.sql and stock-low-event.sql).
 */
export class OutboxRepository extends KyselyRepository {
  /** The events with these sequence numbers, in order (pruned ones are simply absent). */
  async findBySeqs(seqs: number[]): Promise<OutboxRow[]> {
    if (seqs.length === 0) return [];
    return this.db
      .selectFrom('outbox_events')
      .select(outboxEventColumns)
      .where('seq', '=', (eb) => eb.fn.any(eb.val(seqs)))
      .orderBy('seq')
      .execute();
  }

  /** Appends events inside the transaction `em` is in (call it from inside `em.transactional`). */
  async append(events: NewCatalogEvent[]): Promise<void> {
    await this.insertAll(
      'outbox_events',
      events.map((e) => ({
        event_id: randomUUID(),
        type: e.type,
        aggregate_type: e.aggregate.type,
        aggregate_id: e.aggregate.id,
        aggregate_version: e.aggregate.version,
        payload: e.data,
      })),
    );
  }

  /**
   * Appends `product.upserted` for each of the products as its row stands in the caller's
   * transaction (call it after the change that bumped the row's version). The event is built by
   * `product_upserted_event` (db/sql/product-upserted-event.sql), the same definition the order
   * decisions' statement uses, so every product event has one shape.
   */
  async appendProductsUpserted(productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await this.db
      .insertInto('outbox_events')
      .columns(['event_id', 'type', 'aggregate_type', 'aggregate_id', 'aggregate_version', 'payload'])
      .expression((eb) =>
        eb
          .selectFrom('products as p')
          // A set-returning function of the row: Kysely has no builder for its call, so it is SQL typed by its result.
          .crossJoinLateral(sql<ProductUpsertedEventRow>`product_upserted_event(p)`.as('e'))
          .select((eb) => [
            eb.fn<string>('gen_random_uuid').as('event_id'),
            'e.type',
            'e.aggregate_type',
            'e.aggregate_id',
            'e.aggregate_version',
            'e.payload',
          ])
          .where('p.id', '=', (eb) => eb.fn.any(eb.val(productIds)))
          .orderBy('p.id'),
      )
      .execute();
  }

  /**
   * Claims up to `limit` unrelayed events in order and hands them to `publish`; marks them
   * relayed only after `publish` resolves, in the same transaction. A crash before the commit
   * leaves them unrelayed, so they are relayed again: at least once.
   */
  async relayBatch(limit: number, publish: (events: RelayedEvent[]) => Promise<void>): Promise<number> {
    return this.em.transactional(async (em) => {
      const rows = await db(em)
        .selectFrom('outbox_events')
        .select(outboxEventColumns)
        .where('relayed_at', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      await publish(rows.map(toRelayedEvent));
      await db(em)
        .updateTable('outbox_events')
        .set((eb) => ({ relayed_at: eb.fn('now') }))
        .where('seq', '=', (eb) => eb.fn.any(eb.val(rows.map((r) => r.seq))))
        .execute();
      return rows.length;
    });
  }

  /** How many events wait to be relayed, counting no further than `n` (reads at most `n` rows). */
  async backlogUpTo(n: number): Promise<number> {
    const row = await this.db
      .selectFrom((eb) =>
        eb
          .selectFrom('outbox_events')
          .select(sql.lit(1).as('one'))
          .where('relayed_at', 'is', null)
          .orderBy('seq')
          .limit(n)
          .as('waiting'),
      )
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const row = await this.db
      .selectFrom('outbox_events')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        // Seconds since the oldest waiting event: Kysely has no builder for extract(epoch from …).
        sql<number | null>`extract(epoch from now() - min(occurred_at))::float8`.as('oldest'),
      ])
      .where('relayed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { count: row.count, oldestAgeSeconds: row.oldest ?? 0 };
  }
}

/**
 * The catalog event an outbox row carries, in the contract's wire format. Only catalog events'
 * rows come here: the relay sends domain events to the automation flows instead.
 */
export function catalogEventOf(row: OutboxRow): CatalogEvent {
  return {
    id: row.event_id,
    type: row.type as CatalogEvent['type'],
    schemaVersion: 1,
    occurredAt: row.occurred_at.toISOString(),
    aggregate: {
      type: row.aggregate_type as CatalogEvent['aggregate']['type'],
      id: row.aggregate_id,
      version: row.aggregate_version,
    },
    data: row.payload,
  };
}

function toRelayedEvent(row: OutboxRow): RelayedEvent {
  return { seq: row.seq, type: row.type };
}
