-- checkout_orders(p_checkouts): the checkout write of a whole batch of checkouts, set-based, in
-- one statement (one executor for the batch, not one per checkout: the executor was most of
-- PostgreSQL's CPU per checkout). OrderRepository.insertCheckouts calls it; the API's checkout
-- batcher puts every checkout that arrives while others are being written into one call.
--
-- Per checkout: every line's product published and not deleted, its variant live and of that
-- product (a line without a variant names a product with exactly one), and one currency for
-- all lines; only then, in this order:
--   1. the idempotency record (`on conflict do nothing`: a key taken before, by a concurrent
--      request, or earlier in the same batch inserts nothing, and so nothing below);
--   2. the pending order with its total, shipping address and payment method;
--   3. its lines, with the variants' sku, option values and price and the products' name of
--      this moment.
-- No stock is read or taken here: the order worker decides (docs/orders.md).
--
-- Input: a JSON array of `{i, id, userId, key, hash, productIds, variantIds, quantities, address,
-- method}` (`variantIds[k]` null where line k names none).
-- Output: one row per checkout, in `i` order: `ok` false for a bad line; `created_at` null when
-- the key was already used; else the new order's timestamps and lines.
--
-- The products and their variants are also filtered by `<product id> = any(<every line's product
-- id>)`, an index condition: the planner takes each JSON array as 100 elements and would
-- otherwise hash every published product, or every variant, on each call
-- (checkout-statement.int.test.ts).
create or replace function checkout_orders(p_checkouts jsonb) returns table (
  i int, ok boolean, total bigint, currency text, created_at timestamptz, updated_at timestamptz, items json
) language plpgsql as $fn$
#variable_conflict use_column
begin
  return query
  with input as (
    select (c->>'i')::int as i, (c->>'id')::uuid as order_id, (c->>'userId')::uuid as user_id,
           c->>'key' as key, c->>'hash' as request_hash, jsonb_array_length(c->'productIds') as line_count,
           c->'productIds' as product_ids, c->'variantIds' as variant_ids, c->'quantities' as quantities,
           c->'address' as address, c->>'method' as method
      from jsonb_array_elements(p_checkouts) as c
  ), p as (
    select input.i, l.line_no::int as line_no, (input.quantities->>(l.line_no::int - 1))::int as quantity,
           pr.id, v.id as variant_id, v.sku, v.option_values, pr.name, v.price_cents, pr.currency
      from input
      cross join lateral jsonb_array_elements_text(input.product_ids) with ordinality as l(product_id, line_no)
      join products pr on pr.id = l.product_id::uuid and pr.deleted_at is null and pr.status = 'published'
      cross join lateral (
        select v.id, v.sku, v.option_values, v.price_cents from product_variants v
         where v.product_id = pr.id and v.deleted_at is null
           and v.product_id = any(array(select x::uuid from input, jsonb_array_elements_text(input.product_ids) as x))
           and case when input.variant_ids->>(l.line_no::int - 1) is null
                    then not exists (select 1 from product_variants w
                                      where w.product_id = pr.id and w.deleted_at is null and w.id <> v.id)
                    else v.id = (input.variant_ids->>(l.line_no::int - 1))::uuid end) as v
     where pr.id = any(array(select x::uuid from input, jsonb_array_elements_text(input.product_ids) as x))
  ), checked as (
    select input.i, input.order_id, input.user_id, input.key, input.request_hash, input.address, input.method,
           count(p.id) = input.line_count and count(distinct p.currency) = 1 as ok,
           min(p.currency)::text as currency, sum(p.price_cents::bigint * p.quantity)::bigint as total
      from input left join p on p.i = input.i
     group by input.i, input.order_id, input.user_id, input.key, input.request_hash, input.address,
              input.method, input.line_count
  ), idem as (
    insert into idempotency_keys (user_id, key, request_hash, order_id)
    select checked.user_id, checked.key, checked.request_hash, checked.order_id from checked where checked.ok
    on conflict (user_id, key) do nothing
    returning order_id
  ), ord as (
    insert into orders (id, user_id, status, total_cents, currency, shipping_address, payment_method)
    select checked.order_id, checked.user_id, 'pending', checked.total, checked.currency, checked.address,
           checked.method
      from checked join idem on idem.order_id = checked.order_id
    returning id, created_at, updated_at
  ), inserted_lines as (
    insert into order_lines (order_id, line_no, product_id, variant_id, option_values, sku, name,
                             unit_price_cents, quantity)
    select ord.id, p.line_no, p.id, p.variant_id, p.option_values, p.sku, p.name, p.price_cents, p.quantity
      from p join checked on checked.i = p.i join ord on ord.id = checked.order_id
  )
  select checked.i, checked.ok, checked.total, checked.currency, ord.created_at, ord.updated_at,
         (select json_agg(json_build_object('productId', p.id, 'variantId', p.variant_id,
                 'optionValues', p.option_values, 'sku', p.sku, 'name', p.name,
                 'unitPriceCents', p.price_cents, 'quantity', p.quantity) order by p.line_no)
            from p where p.i = checked.i)
    from checked left join ord on ord.id = checked.order_id
   order by checked.i;
end
$fn$;
