import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AggregateType, CatalogEventType } from '@lapak/contracts';

/** A catalog event written in the same transaction as the change it describes. */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: {
    seq: p.bigint('number').primary().autoincrement(),
    eventId: p.uuid().unique('outbox_events_event_id_key'),
    type: p.text().$type<CatalogEventType>(),
    aggregateType: p.text().$type<AggregateType>(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    payload: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime().defaultRaw('now()'),
    relayedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'outbox_events_unrelayed_idx', properties: ['seq'], where: 'relayed_at is null' }],
});

export type OutboxEvent = InferEntity<typeof OutboxEvent>;
