import { sql, type QueryExecutorProvider } from 'kysely';

/** The option every benchmark product with variants has, and its values in order. */
export const benchOption = { name: 'Size', values: ['S', 'M', 'L'] } as const;

/** A benchmark product: its id and the ids of its variants, in their order. */
export interface BenchProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  variantIds: string[];
}

/**
 * Inserts published products with `variants` variants each (one option, `benchOption`; with 1,
 * products without options, as a catalog of simple products has), each variant with `stock`
 * units and the product's price, in two statements, as the API would leave them: the product's
 * stock the sum of its variants'. Returns the products with their variants' ids.
 */
export async function insertBenchCatalog(
  db: QueryExecutorProvider,
  rows: { id: string; sku: string; name: string; priceCents: number; stock: number }[],
  variants: number,
  currency = 'EUR',
): Promise<BenchProduct[]> {
  const values = variants === 1 ? [null] : benchOption.values.slice(0, variants);
  if (values.length !== variants) throw new Error(`at most ${benchOption.values.length} variants`);
  const options = variants === 1 ? [] : [{ name: benchOption.name, values }];
  await sql`
    insert into products (id, sku, name, slug, price_cents, currency, stock, status, options)
    select id, sku, name, lower(sku), price, ${currency}, stock * ${variants}, 'published', ${JSON.stringify(options)}::jsonb
      from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.sku)}::text[], ${rows.map((r) => r.name)}::text[],
                  ${rows.map((r) => r.priceCents)}::int[], ${rows.map((r) => r.stock)}::int[]) as p(id, sku, name, price, stock)
  `.execute(db);
  const { rows: made } = await sql<{ product_id: string; id: string }>`
    insert into product_variants (id, product_id, sku, option_values, price_cents, stock, sort)
    select gen_random_uuid(), p.id,
           case when v.value is null then p.sku else p.sku || '-' || v.value end,
           case when v.value is null then '{}'::jsonb else jsonb_build_object(${benchOption.name}::text, v.value) end,
           p.price_cents, p.stock / ${variants}, v.ord - 1
      from products p cross join unnest(${values}::text[]) with ordinality as v(value, ord)
     where p.id = any(${rows.map((r) => r.id)}::uuid[])
    returning product_id, id
  `.execute(db);
  const byProduct = new Map<string, string[]>();
  for (const row of made) byProduct.set(row.product_id, [...(byProduct.get(row.product_id) ?? []), row.id]);
  return rows.map(({ stock: _, ...row }) => ({ ...row, variantIds: byProduct.get(row.id)! }));
}
