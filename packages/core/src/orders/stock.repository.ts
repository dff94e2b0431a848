import { sql, type Selectable } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import { db, type Database } from '../db/database';
import type { LockedStock } from './order-decision';

type ProductRow = Selectable<Database['products']>;
type VariantRow = Selectable<Database['product_variants']>;

/**
 * Stock as order processing and cancellation change it: per variant, with each product's stock
 * the sum of its live variants'. Every method runs inside the caller's transaction. A variant
 * changes only under its product's lock, and products are always locked in id order, so two
 * transactions that both lock several products can never deadlock on each other. The lock is
 * `FOR NO KEY UPDATE` (what an UPDATE that keeps the key takes anyway): it does not conflict with
 * the `FOR KEY SHARE` locks that foreign-key checks take, so a checkout inserting order lines
 * that reference these rows (in its own line order) never waits on, or deadlocks with, a stock
 * decision.
 */
export class StockRepository {
  constructor(private readonly em: EntityManager) {}

  /** Locks the variants' products (id order); returns each variant's stock and whether it sells. */
  async lock(variantIds: string[]): Promise<Map<string, LockedStock>> {
    if (variantIds.length === 0) return new Map();
    await this.lockProductsOf(variantIds);
    const { rows } = await sql<Pick<VariantRow, 'id' | 'stock'> & { sellable: boolean }>`
      select v.id, v.stock, (v.deleted_at is null and p.status = 'published' and p.deleted_at is null) as sellable
        from product_variants v join products p on p.id = v.product_id
       where v.id = any(${variantIds}::uuid[])
    `.execute(db(this.em));
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Gives units back (a cancelled or expired order) to the variants that still exist, and to
   * their products' stock, bumping each product's version once (the variants given to take it);
   * returns the ids of the products it changed. A deleted variant or product gets nothing back:
   * it is gone from the shop and the CMS.
   */
  async giveBack(quantities: Map<string, number>): Promise<string[]> {
    if (quantities.size === 0) return [];
    const ids = [...quantities.keys()];
    await this.lockProductsOf(ids);
    const { rows: given } = await sql<{ product_id: string; quantity: number }>`
      update product_variants v
         set stock = v.stock + d.quantity, version = p.version + 1, updated_at = now()
        from unnest(${ids}::uuid[], ${ids.map((id) => quantities.get(id))}::int[]) as d(id, quantity), products p
       where v.id = d.id and p.id = v.product_id and v.deleted_at is null and p.deleted_at is null
      returning v.product_id, d.quantity
    `.execute(db(this.em));
    if (given.length === 0) return [];
    const byProduct = new Map<string, number>();
    for (const row of given)
      byProduct.set(row.product_id, (byProduct.get(row.product_id) ?? 0) + row.quantity);
    const productIds = [...byProduct.keys()];
    const { rows } = await sql<Pick<ProductRow, 'id'>>`
      update products p
         set stock = p.stock + d.quantity, version = p.version + 1, updated_at = now()
        from unnest(${productIds}::uuid[], ${productIds.map((id) => byProduct.get(id))}::int[]) as d(id, quantity)
       where p.id = d.id
      returning p.id
    `.execute(db(this.em));
    return rows.map((row) => row.id);
  }

  /** Locks the products of `variantIds` in id order. */
  private async lockProductsOf(variantIds: string[]): Promise<void> {
    await sql`
      select 1 from products
       where id = any(array(select product_id from product_variants where id = any(${variantIds}::uuid[])))
       order by id for no key update
    `.execute(db(this.em));
  }
}
