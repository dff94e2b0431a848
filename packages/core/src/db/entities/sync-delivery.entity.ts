import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { syncDeliveryStatuses, type AggregateType, type DomainAggregateType } from '@lapak/contracts';

/** One attempt to deliver one outbox event to the CMS, and how it ended. */
export const SyncDelivery = defineEntity({
  name: 'SyncDelivery',
  tableName: 'sync_deliveries',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    eventId: p.uuid(),
    seq: p.bigint('number'),
    aggregateType: p.text().$type<AggregateType | DomainAggregateType>(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    flowVersion: p.text(),
    attempt: p.integer(),
    status: p.enum(syncDeliveryStatuses),
    httpStatus: p.integer().nullable(),
    latencyMs: p.integer(),
    error: p.text().nullable(),
    requestId: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    { name: 'sync_deliveries_created_idx', properties: ['createdAt'] },
    { name: 'sync_deliveries_status_idx', properties: ['status', 'id'] },
    { name: 'sync_deliveries_event_idx', properties: ['eventId', 'id'] },
  ],
});

export type SyncDelivery = InferEntity<typeof SyncDelivery>;
