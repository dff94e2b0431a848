import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { newId } from '../db/ids';
import { makeUser, useTestEnv } from '../testing';

const env = useTestEnv();

describe('checkout_orders', () => {
  it('reads only the products its lines name, however large the catalog', async () => {
    const em = env.orm.em.fork();
    const db = em.getKysely();
    const user = await makeUser(em);
    const ids = Array.from({ length: 2000 }, () => newId());
    await sql`
      insert into products (id, sku, name, slug, price_cents, currency, stock, status)
      select id, 'CAT-' || id, 'Catalog item', 'cat-' || id, 250, 'IDR', 10, 'published'
        from unnest(${ids}::uuid[]) as p(id)`.execute(db);
    await sql`analyze products`.execute(db);
    const checkout = {
      i: 0,
      id: newId(),
      userId: user.id,
      key: newId(),
      hash: 'h',
      productIds: [ids[7], ids[1500]],
      quantities: [1, 3],
    };

    const { row, scans } = await db.transaction().execute(async (trx) => {
      const result = await sql<{ ok: boolean; total: string }>`
        select * from checkout_orders(${JSON.stringify([checkout])}::jsonb)`.execute(trx);
      // This transaction's own reads of the table so far.
      const stats = await sql<{ seq_scan: string; idx_tup_fetch: string }>`
        select seq_scan, idx_tup_fetch from pg_stat_xact_user_tables where relname = 'products'`.execute(trx);
      return { row: result.rows[0]!, scans: stats.rows[0]! };
    });

    expect(row.ok).toBe(true);
    expect(Number(row.total)).toBe(250 * 4);
    expect(Number(scans.seq_scan)).toBe(0);
    // The two lines' products, and the foreign-key checks of the two order lines.
    expect(Number(scans.idx_tup_fetch)).toBeLessThanOrEqual(8);
  });
});
