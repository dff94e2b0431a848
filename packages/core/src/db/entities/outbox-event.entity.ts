import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AggregateType, CatalogEventType, DomainAggregateType, DomainEventType } from '@lapak/contracts';

/**
 * A catalog or domain event written in the same transaction as the change it describes. Domain
 * events (order and stock events for the automation flows) have aggregate version 0 for orders.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: {
    seq: p.bigint('number').primary().autoincrement(),
    eventId: p.uuid().unique('outbox_events_event_id_key'),
    type: p.text().$type<CatalogEventType | DomainEventType>(),
    aggregateType: p.text().$type<AggregateType | DomainAggregateType>(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    payload: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime().defaultRaw('now()'),
    relayedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'outbox_events_unrelayed_idx', properties: ['seq'], where: 'relayed_at is null' }],
});

export type OutboxEvent = InferEntity<typeof OutboxEvent>;
