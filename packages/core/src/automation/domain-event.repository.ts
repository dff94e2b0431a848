import type { DomainEvent } from '@lapak/contracts';
import { KyselyRepository } from '../db/kysely-repository';
import { OutboxRepository } from '../outbox/outbox.repository';
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
    const rows = await new OutboxRepository(this.em).findBySeqs(seqs);
    return rows.map((row) => {
      const wire = domainEventOf(row);
      const aggregate = { type: wire.aggregate.type, id: wire.aggregate.id, version: row.aggregate_version };
      return { seq: row.seq, event: { id: wire.id, type: wire.type, aggregate }, wire };
    });
  }
}
