import { Migration } from '@mikro-orm/migrations';

/**
 * `checkout_order(...)`: the whole checkout write as one PL/pgSQL function, so its statement is
 * planned once per connection and reused (sent as plain SQL it was planned on every call,
 * which cost more than running it). Looks the lines' products up (published, not deleted) and,
 * only if every line has one and they share a currency, inserts the idempotency record first
 * (`on conflict do nothing`: a concurrent request with the same key waits on the key's unique
 * index, then inserts nothing), the pending order with its total, and its lines with the
 * products' sku, name and price of this moment. Returns one row: `ok` false for a bad line;
 * `created_at` null when the key was already used; else the new order's timestamps and lines.
 */
export class Migration20261122010000 extends Migration {
  override up(): void {
    this.addSql(`
      create function checkout_order(
        p_order_id uuid, p_user_id uuid, p_key text, p_request_hash text,
        p_product_ids uuid[], p_quantities int[]
      ) returns table (
        ok boolean, total bigint, currency text, created_at timestamptz, updated_at timestamptz, items json
      ) language plpgsql as $fn$
      #variable_conflict use_column
      begin
        return query
        with input as (
          select * from unnest(p_product_ids, p_quantities) with ordinality as l(product_id, quantity, line_no)
        ), p as (
          select i.line_no, i.quantity, pr.id, pr.sku, pr.name, pr.price_cents, pr.currency
            from input i
            join products pr on pr.id = i.product_id and pr.deleted_at is null and pr.status = 'published'
        ), checked as (
          select count(*) = cardinality(p_product_ids) and count(distinct p.currency) = 1 as ok,
                 min(p.currency)::text as currency, sum(p.price_cents::bigint * p.quantity)::bigint as total
            from p
        ), idem as (
          insert into idempotency_keys (user_id, key, request_hash, order_id)
          select p_user_id, p_key, p_request_hash, p_order_id from checked where checked.ok
          on conflict (user_id, key) do nothing
          returning order_id
        ), ord as (
          insert into orders (id, user_id, status, total_cents, currency)
          select idem.order_id, p_user_id, 'pending', checked.total, checked.currency from idem, checked
          returning id, created_at, updated_at
        ), inserted_lines as (
          insert into order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity)
          select ord.id, p.line_no, p.id, p.sku, p.name, p.price_cents, p.quantity from ord, p
        )
        select checked.ok, checked.total, checked.currency, ord.created_at, ord.updated_at,
               (select json_agg(json_build_object('productId', p.id, 'sku', p.sku, 'name', p.name,
                       'unitPriceCents', p.price_cents, 'quantity', p.quantity) order by p.line_no) from p)
          from checked left join ord on true;
      end
      $fn$;`);
  }

  override down(): void {
    this.addSql(`drop function if exists checkout_order(uuid, uuid, text, text, uuid[], int[]);`);
  }
}
