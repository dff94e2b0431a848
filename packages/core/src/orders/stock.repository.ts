import { sql, type Selectable } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import { db, type Database } from '../db/database';
import type { LockedStock } from './order-decision';

type ProductRow = Selectable<Database['products']>;

/**
 * Product stock as order processing and cancellation change it. Every method runs inside the
 * caller's transaction. Rows are always locked in id order, so two transactions that both lock
 * several products can never deadlock on each other. The lock is `FOR NO KEY UPDATE` (what an
 * UPDATE that keeps the key takes anyway): it does not conflict with the `FOR KEY SHARE` locks
 * that foreign-key checks take, so a checkout inserting order lines that reference these
 * products (in its own line order) never waits on, or deadlocks with, a stock decision.
 */
export class StockRepository {
  constructor(private readonly em: EntityManager) {}

  /** Locks the products (id order) and returns their stock and whether they can be sold. */
  async lock(productIds: string[]): Promise<Map<string, LockedStock>> {
    if (productIds.length === 0) return new Map();
    const { rows } = await sql<Pick<ProductRow, 'id' | 'stock'> & { sellable: boolean }>`
      select id, stock, (status = 'published' and deleted_at is null) as sellable
        from products where id = any(${productIds}::uuid[]) order by id for no key update
    `.execute(db(this.em));
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Gives units back (a cancelled order) to the products that still exist, bumping each one's
   * version once; returns the ids of the products it changed. A deleted product gets nothing
   * back: it is gone from the shop and the CMS.
   */
  async giveBack(quantities: Map<string, number>): Promise<string[]> {
    if (quantities.size === 0) return [];
    const ids = [...quantities.keys()];
    await this.lock(ids);
    const { rows } = await sql<Pick<ProductRow, 'id'>>`
      update products p
         set stock = p.stock + d.quantity, version = p.version + 1, updated_at = now()
        from unnest(${ids}::uuid[], ${ids.map((id) => quantities.get(id))}::int[]) as d(id, quantity)
       where p.id = d.id and p.deleted_at is null
      returning p.id
    `.execute(db(this.em));
    return rows.map((row) => row.id);
  }
}
