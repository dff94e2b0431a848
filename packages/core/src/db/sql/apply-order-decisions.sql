-- apply_order_decisions(...): writes a batch of order decisions made against stock read without
-- locks (OrderProcessingRepository.apply), in one statement, so no row stays locked while the
-- worker is busy between statements.
--
-- In this order:
--   1. locks the batch's orders in id order and checks that every one is still pending;
--   2. locks the variants' products in id order (orders before products, each in id order: the
--      order every writer takes them in, so two writers never deadlock; a variant is changed
--      only under its product's lock);
--   3. takes each variant's units only where that much remains, the variant is live and its
--      product sellable (published, not deleted), setting the variant's version to the one its
--      product is about to get;
--   4. takes the same units from each product's stock (the sum of its variants'), bumping its
--      version once and appending its `product.upserted` to the outbox (product_upserted_event),
--      which reads the variants as the previous statement left them;
--   5. writes the statuses and failure reasons. A confirmed order paid by bank transfer becomes
--      `awaiting_payment`, its stock now reserved until the payment's deadline (the shop's
--      `payment_ttl_seconds` from now); cash on delivery is `confirmed` at once. Each of them gets
--      its payment record (payments): the amount, a random reference for the shopper to quote,
--      and the deadline. An order placed without a payment method (before payment was asked
--      for) is confirmed as it always was.
-- If an order is no longer pending or a variant cannot give its units (the catalog moved since
-- the read), it raises SQLSTATE LP409 (`sqlStates.decisionStale` in sql-functions.ts) and nothing
-- is written: the caller reads again and decides again. The failed orders' lines are not checked
-- again: a failure stands as decided against the read (docs/orders.md, "Failures against the
-- unlocked read").
--
-- Input: the variants and the units to take from each, and per order its status and failure
-- reason (null when confirmed). Output: the changed orders. Every statement finds its rows by
-- the id arrays (`id = any(...)`), so a plan cached for the session looks them up by index
-- instead of joining whole tables.
create or replace function apply_order_decisions(
  p_variant_ids uuid[], p_quantities int[], p_order_ids uuid[], p_statuses text[], p_reasons text[]
) returns table (
  id uuid, user_id uuid, status text, failure_reason text, created_at timestamptz, updated_at timestamptz
) language plpgsql as $fn$
#variable_conflict use_column
declare
  v_count int;
  v_payment_ttl int;
  v_product_ids uuid[];
  v_units int[];
begin
  -- By id alone: the status index holds an entry for every order that ever was pending.
  select count(*) filter (where o.status = 'pending') into v_count
    from (select o.status from orders o where o.id = any(p_order_ids) order by o.id for no key update) as o;
  if v_count <> cardinality(p_order_ids) then
    raise exception 'an order of the batch is no longer pending' using errcode = 'LP409';
  end if;

  perform 1 from products p
   where p.id = any(array(select v.product_id from product_variants v where v.id = any(p_variant_ids)))
   order by p.id for no key update;
  with taken as (
    update product_variants v
       set stock = v.stock - d.quantity, version = p.version + 1, updated_at = now()
      from unnest(p_variant_ids, p_quantities) as d(id, quantity), products p
     where v.id = any(p_variant_ids) and v.id = d.id and p.id = v.product_id
       and v.stock >= d.quantity and v.deleted_at is null and p.status = 'published' and p.deleted_at is null
    returning v.product_id, d.quantity
  )
  select count(*), coalesce(array_agg(t.product_id), '{}'), coalesce(array_agg(t.quantity), '{}')
    into v_count, v_product_ids, v_units from taken t;
  if v_count <> cardinality(p_variant_ids) then
    raise exception 'a variant of the batch cannot give its units' using errcode = 'LP409';
  end if;

  with bumped as (
    update products p
       set stock = p.stock - d.quantity, version = p.version + 1, updated_at = now()
      from (select u.id, sum(u.quantity)::int as quantity
              from unnest(v_product_ids, v_units) as u(id, quantity) group by u.id) as d
     where p.id = any(v_product_ids) and p.id = d.id
    returning p
  )
  insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
  select gen_random_uuid(), e.type, e.aggregate_type, e.aggregate_id, e.aggregate_version, e.payload
    from bumped b cross join lateral product_upserted_event(b.p) as e;

  select s.payment_ttl_seconds into v_payment_ttl from shop_settings s;
  return query
    with decided as (
      update orders o
         set status = case when d.status = 'confirmed' and o.payment_method = 'bank_transfer'
                           then 'awaiting_payment' else d.status end,
             failure_reason = d.reason, updated_at = clock_timestamp()
        from unnest(p_order_ids, p_statuses, p_reasons) as d(id, status, reason)
       where o.id = any(p_order_ids) and o.id = d.id
      returning o.id, o.user_id, o.status, o.failure_reason, o.created_at, o.updated_at, o.payment_method,
                o.total_cents, o.currency
    ), opened as (
      insert into payments (order_id, method, status, reference, amount_cents, currency, due_at)
      select d.id, d.payment_method,
             case d.payment_method when 'bank_transfer' then 'pending' else 'due_on_delivery' end,
             'LP-' || regexp_replace(upper(left(replace(gen_random_uuid()::text, '-', ''), 12)),
                                     '(.{4})(.{4})(.{4})', '\1-\2-\3'),
             d.total_cents, d.currency,
             case d.payment_method when 'bank_transfer' then now() + make_interval(secs => v_payment_ttl) end
        from decided d
       where d.status <> 'failed' and d.payment_method is not null
    )
    select d.id, d.user_id, d.status, d.failure_reason, d.created_at, d.updated_at from decided d;
end
$fn$;
