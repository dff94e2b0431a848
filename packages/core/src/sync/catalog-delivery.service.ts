import type { EntityManager } from '@mikro-orm/postgresql';
import { planDelivery, type DeliveryPlan, type SettledDelivery } from './catalog-delivery';
import { CatalogSyncRepository } from './catalog-sync.repository';
import { SyncDeadLetterRepository } from './sync-dead-letter.repository';
import { SyncDeliveryRepository } from './sync-delivery.repository';
import { SyncOutboxRepository } from './sync-outbox.repository';

/** What the dispatcher reads and writes for a catalog-sync job (rules in catalog-delivery.ts). */
export class CatalogDeliveryService {
  constructor(private readonly em: EntityManager) {}

  /** The job's events (pruned ones are absent) and which of them to send. */
  async plan(seqs: number[]): Promise<DeliveryPlan> {
    const records = await new SyncOutboxRepository(this.em).findBySeqs(seqs);
    const current = await new CatalogSyncRepository(this.em).currentVersions(
      records.map((record) => record.event.aggregate),
    );
    return planDelivery(records, current);
  }

  /** The attempt's delivery-log entries and dead letters, together. */
  async record(settled: Pick<SettledDelivery, 'deliveries' | 'deadLetters'>): Promise<void> {
    await this.em.transactional(async (tx) => {
      await new SyncDeliveryRepository(tx).record(settled.deliveries);
      await new SyncDeadLetterRepository(tx).add(settled.deadLetters);
    });
  }
}
