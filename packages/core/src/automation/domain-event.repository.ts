import type { DomainEvent } from '@lapak/contracts';
import { KyselyRepository } from '../db/kysely-repository';
import { outboxEventColumns } from '../outbox/outbox.repository';
import { domainEventOf } from './domain-event-wire';

/** A domain event as the automation dispatcher delivers it. */
export interface DomainEventRecord {
  seq: number;
  /** What the delivery log and dead letters record (an order's version is 0: it has none). */
  event: { id: string; type: string; aggregate: { type: 'order' | 'product'; id: string; version: number } };
  /** The event as the flow receives it. */
  wire: DomainEvent;
}

/** The outbox as the automation dispatcher reads it: domain events by sequence number. */
export class DomainEventRepository extends KyselyRepository {
  /** The events with these sequence numbers, in order (pruned ones are simply absent). */
  async findBySeqs(seqs: number[]): Promise<DomainEventRecord[]> {
    if (seqs.length === 0) return [];
    const rows = await this.db
      .selectFrom('outbox_events')
      .select(outboxEventColumns)
      .where('seq', '=', (eb) => eb.fn.any(eb.val(seqs)))
      .orderBy('seq')
      .execute();
    return rows.map((row) => {
      const wire = domainEventOf(row);
      const aggregate = { type: wire.aggregate.type, id: wire.aggregate.id, version: row.aggregate_version };
      return { seq: row.seq, event: { id: wire.id, type: wire.type, aggregate }, wire };
    });
  }
}
