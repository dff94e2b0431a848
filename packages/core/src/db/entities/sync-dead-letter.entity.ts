import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AggregateType, DomainAggregateType } from '@lapak/contracts';

/** An outbox event that kept failing, parked until it is replayed. */
export const SyncDeadLetter = defineEntity({
  name: 'SyncDeadLetter',
  tableName: 'sync_dead_letters',
  properties: {
    eventId: p.uuid().primary(),
    seq: p.bigint('number'),
    type: p.text(),
    aggregateType: p.text().$type<AggregateType | DomainAggregateType>(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    flowVersion: p.text(),
    attempts: p.integer(),
    lastError: p.text().nullable(),
    requestId: p.text().nullable(),
    deadAt: p.datetime().defaultRaw('now()'),
    replayedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'sync_dead_letters_open_idx', properties: ['deadAt', 'eventId'], where: 'replayed_at is null' },
  ],
});

export type SyncDeadLetter = InferEntity<typeof SyncDeadLetter>;
