import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A catalog event written in the same transaction as the change it describes. */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: {
    seq: p.bigint('number').primary().autoincrement(),
    eventId: p.uuid(),
    type: p.text(),
    aggregateType: p.text(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    payload: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(),
    relayedAt: p.datetime().nullable(),
  },
});

export type OutboxEvent = InferEntity<typeof OutboxEvent>;
