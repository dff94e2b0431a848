import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { newId } from '../db/ids';
import { makeUser, useTestEnv } from '../testing';

const env = useTestEnv();

describe('checkout_orders', () => {
  it('reads only the products and variants its lines name, however large the catalog', async () => {
    const em = env.orm.em.fork();
    const db = em.getKysely();
    const user = await makeUser(em);
    const ids = Array.from({ length: 2000 }, () => newId());
    await sql`
      insert into products (id, sku, name, slug, price_cents, currency, stock, status)
      select id, 'CAT-' || id, 'Catalog item', 'cat-' || id, 250, 'IDR', 10, 'published'
        from unnest(${ids}::uuid[]) as p(id)`.execute(db);
    await sql`
      insert into product_variants (id, product_id, sku, price_cents, stock)
      select gen_random_uuid(), id, 'CAT-' || id, 250, 10 from unnest(${ids}::uuid[]) as p(id)`.execute(db);
    await sql`analyze products`.execute(db);
    await sql`analyze product_variants`.execute(db);
    const checkout = {
      i: 0,
      id: newId(),
      userId: user.id,
      key: newId(),
      hash: 'h',
      productIds: [ids[7], ids[1500]],
      variantIds: [null, null],
      quantities: [1, 3],
    };

    // This backend's reads of the two tables not yet flushed to the statistics (the setup's
    // included), before and after the call: the difference is the call's.
    const reads = async (trx: typeof db) => {
      const { rows } = await sql<{ relname: string; seq_scan: string; idx_tup_fetch: string }>`
        select relname, seq_scan, idx_tup_fetch from pg_stat_xact_user_tables
         where relname in ('products', 'product_variants')`.execute(trx);
      return (table: string) => {
        const row = rows.find((r) => r.relname === table);
        return { seq: Number(row?.seq_scan ?? 0), fetched: Number(row?.idx_tup_fetch ?? 0) };
      };
    };
    const { row, scans, variantScans } = await db.transaction().execute(async (trx) => {
      const before = await reads(trx);
      const result = await sql<{ ok: boolean; total: string }>`
        select * from checkout_orders(${JSON.stringify([checkout])}::jsonb)`.execute(trx);
      const after = await reads(trx);
      const delta = (table: string) => ({
        seq_scan: after(table).seq - before(table).seq,
        idx_tup_fetch: after(table).fetched - before(table).fetched,
      });
      return { row: result.rows[0]!, scans: delta('products'), variantScans: delta('product_variants') };
    });

    expect(row.ok).toBe(true);
    expect(Number(row.total)).toBe(250 * 4);
    expect(Number(scans.seq_scan)).toBe(0);
    // The two lines' products, and the foreign-key checks of the two order lines.
    expect(Number(scans.idx_tup_fetch)).toBeLessThanOrEqual(8);
    // Each line's variant and its check for siblings, and the order lines' foreign-key checks.
    expect(Number(variantScans.seq_scan)).toBe(0);
    expect(Number(variantScans.idx_tup_fetch)).toBeLessThanOrEqual(8);
  });
});
