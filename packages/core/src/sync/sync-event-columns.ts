import type { AggregateType, DomainAggregateType } from '@lapak/contracts';

/**
 * Which event was sent, for which aggregate version, through which flow and on which request:
 * what a delivery-log entry and a dead letter both record about an event.
 */
export interface SyncEventRef {
  eventId: string;
  seq: number;
  /** A domain event's order has version 0 (orders have none). */
  aggregate: { type: AggregateType | DomainAggregateType; id: string; version: number };
  /** The catalog flow's version (`v1`), or the automation flow's name and version. */
  flowVersion: string;
  requestId: string | null;
}

/** The columns `sync_deliveries` and `sync_dead_letters` store a `SyncEventRef` in. */
export const syncEventColumns = (ref: SyncEventRef) => ({
  event_id: ref.eventId,
  seq: ref.seq,
  aggregate_type: ref.aggregate.type,
  aggregate_id: ref.aggregate.id,
  aggregate_version: ref.aggregate.version,
  flow_version: ref.flowVersion,
  request_id: ref.requestId,
});
