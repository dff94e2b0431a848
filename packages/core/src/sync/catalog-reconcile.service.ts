import type { EntityManager } from '@mikro-orm/postgresql';
import type { Drift } from './catalog-compare';
import { CatalogRepairService } from './catalog-repair.service';
import { CatalogSyncRepository, type CategorySyncRow, type ProductSyncRow } from './catalog-sync.repository';
import { SyncDeliveryRepository } from './sync-delivery.repository';
import { SyncOutboxRepository } from './sync-outbox.repository';

/** PostgreSQL's side of a reconciliation: the catalog as it is, the repair, the pruning. */
export class CatalogReconcileService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Every product and category, deleted ones included; with `variants`, each live product's
   * options and variants too (what events of schema version 2 carry).
   */
  async catalog(
    options: { variants?: boolean } = {},
  ): Promise<{ products: ProductSyncRow[]; categories: CategorySyncRow[] }> {
    const repository = new CatalogSyncRepository(this.em);
    const [products, categories] = await Promise.all([repository.allProducts(), repository.allCategories()]);
    return { products: options.variants ? await repository.withVariants(products) : products, categories };
  }

  /**
   * Repairs drift by re-emitting through the outbox: each drifted aggregate gets a new version
   * and its current state goes out like any change (a drifted variant re-emits its product, once);
   * an orphan gets a delete. Returns the events.
   */
  async repair(drift: Drift[]): Promise<number> {
    if (drift.length === 0) return 0;
    const ids = (type: Drift['type']) => [
      ...new Set(drift.filter((d) => d.type === type && d.kind !== 'orphan').map((d) => d.id)),
    ];
    return new CatalogRepairService(this.em.fork()).reemit({
      products: ids('product'),
      categories: ids('category'),
      orphans: drift
        .filter((d) => d.kind === 'orphan')
        .map((d) => ({ type: d.type, id: d.id, directusVersion: d.directusVersion ?? 0 })),
    });
  }

  /** Deletes relayed outbox events and delivery-log entries older than `days`. */
  async prune(days: number): Promise<{ outbox: number; deliveries: number }> {
    return {
      outbox: await new SyncOutboxRepository(this.em.fork()).prune(days),
      deliveries: await new SyncDeliveryRepository(this.em.fork()).prune(days),
    };
  }
}
