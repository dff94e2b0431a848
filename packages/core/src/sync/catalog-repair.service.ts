import type { EntityManager } from '@mikro-orm/postgresql';
import type { AggregateType } from '@lapak/contracts';
import { categoryDeleted, categoryUpserted, productDeleted } from '../catalog/catalog-events';
import { OutboxRepository, type NewCatalogEvent } from '../outbox/outbox.repository';
import { CatalogSyncRepository } from './catalog-sync.repository';

export interface RepairRequest {
  /** Products and categories (live or deleted) whose current state Directus must get again. */
  products: string[];
  categories: string[];
  /** Items Directus holds that PostgreSQL never had: deleted with a version above Directus's. */
  orphans: { type: AggregateType; id: string; directusVersion: number }[];
}

/**
 * Repairs drift by re-emitting: each aggregate gets a new version (so the flow cannot call the
 * event stale, even when Directus holds a corrupted row at the current version), and so do a
 * product's variants, and its current state goes into the outbox, all in one transaction.
 * Returns the events appended.
 */
export class CatalogRepairService {
  constructor(private readonly em: EntityManager) {}

  async reemit(request: RepairRequest): Promise<number> {
    return this.em.transactional(async (em) => {
      const repo = new CatalogSyncRepository(em);
      const events: NewCatalogEvent[] = [];
      const liveProducts: string[] = [];
      for (const row of await repo.bumpCategories(request.categories)) {
        events.push(row.deleted ? categoryDeleted(row) : categoryUpserted(row));
      }
      for (const row of await repo.bumpProducts(request.products)) {
        if (row.deleted) events.push(productDeleted(row));
        else liveProducts.push(row.id);
      }
      for (const orphan of request.orphans) {
        const version = orphan.directusVersion + 1;
        events.push(
          orphan.type === 'product'
            ? productDeleted({ id: orphan.id, version })
            : categoryDeleted({ id: orphan.id, version }),
        );
      }
      // Their variants are re-sent at the product's new version, so Directus takes them too.
      await repo.bumpVariantsOf(liveProducts);
      const outbox = new OutboxRepository(em);
      await outbox.append(events);
      await outbox.appendProductsUpserted(liveProducts);
      return events.length + liveProducts.length;
    });
  }
}
