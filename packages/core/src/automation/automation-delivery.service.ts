import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryPlan, SettledDelivery } from '../sync/catalog-delivery';
import { SyncDeadLetterRepository } from '../sync/sync-dead-letter.repository';
import { SyncDeliveryRepository } from '../sync/sync-delivery.repository';
import { DomainEventRepository, type DomainEventRecord } from './domain-event.repository';

/**
 * What the automation dispatcher reads and writes for a job: the job's domain events, all of
 * them sent (a domain event is a fact: none supersedes another), and the attempt's delivery-log
 * entries and dead letters, in the tables the catalog sync uses.
 */
export class AutomationDeliveryService {
  constructor(private readonly em: EntityManager) {}

  async plan(seqs: number[]): Promise<DeliveryPlan<DomainEventRecord>> {
    return { toSend: await new DomainEventRepository(this.em).findBySeqs(seqs), superseded: [] };
  }

  async record(
    settled: Pick<SettledDelivery<DomainEventRecord>, 'deliveries' | 'deadLetters'>,
  ): Promise<void> {
    await this.em.transactional(async (tx) => {
      await new SyncDeliveryRepository(tx).record(settled.deliveries);
      await new SyncDeadLetterRepository(tx).add(settled.deadLetters);
    });
  }
}
