import { KyselyRepository } from '../db/kysely-repository';

/**
 * The base of the catalog's repositories (products, categories). Their rows are soft-deleted:
 * a deleted row stays with `deleted_at` set, so its delete can still be synced; "live" rows are
 * the others, and a slug is unique among them.
 */
export abstract class CatalogRowRepository extends KyselyRepository {
  protected abstract readonly table: 'products' | 'categories';

  /** Whether a live row other than `exceptId` has this slug. */
  async slugTaken(slug: string, exceptId?: string): Promise<boolean> {
    const row = await this.db
      .selectFrom(this.table)
      .select('id')
      .where('slug', '=', slug)
      .where('deleted_at', 'is', null)
      .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId!))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Soft-deletes a live row in one statement (locking it): `deleted_at` and `updated_at` set,
   * `version + 1` so the delete event carries a version newer than every upsert before it. Null
   * when there is no live row with this id.
   */
  async softDelete(id: string): Promise<{ id: string; version: number } | null> {
    const row = await this.updateLive(id)
      .set((eb) => ({ deleted_at: eb.fn('now'), updated_at: eb.fn('now'), version: eb('version', '+', 1) }))
      .returning(['id', 'version'])
      .executeTakeFirst();
    return row ?? null;
  }

  /** The live row `id`, to read. */
  protected selectLive(id: string) {
    return this.db.selectFrom(this.table).where('id', '=', id).where('deleted_at', 'is', null);
  }

  /** The live row `id`, to change: no statement changes a deleted row. */
  protected updateLive(id: string) {
    return this.db.updateTable(this.table).where('id', '=', id).where('deleted_at', 'is', null);
  }
}
