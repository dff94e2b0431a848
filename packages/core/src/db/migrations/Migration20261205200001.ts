import { Migration } from '@mikro-orm/migrations';
import { sqlFunction } from '../sql/sql-functions';

/** Its first parameter is renamed, which `create or replace` cannot do. */
const dropApplyOrderDecisions = `drop function apply_order_decisions(uuid[], int[], uuid[], text[], text[]);`;

/**
 * Product variants. Every product gets `options` (none until given) and its variants, each with
 * its own sku, option values, price and stock; an existing product becomes one variant with its
 * own sku, price and stock. Stock is taken from and given back to variants; a product's `stock`
 * stays the sum of its live variants' and its `price_cents` the lowest of their prices, for the
 * clients that know no variants. A variant's `version` is its product's version when the variant
 * last changed. Order lines name their variant and keep its option values.
 * `product_upserted_event`, `checkout_orders` and `apply_order_decisions` move to variants, from
 * their files.
 */
export class Migration20261205200001 extends Migration {
  /** `product_upserted_event` as it was before this migration. */
  static readonly productUpsertedEvent = `
create or replace function product_upserted_event(p products) returns table (
  type text, aggregate_type text, aggregate_id uuid, aggregate_version int, payload jsonb
) language sql stable as $fn$
  select 'product.upserted', 'product', p.id, p.version,
         jsonb_build_object('sku', p.sku, 'name', p.name, 'slug', p.slug, 'priceCents', p.price_cents,
                            'currency', p.currency, 'stock', p.stock, 'status', p.status,
                            'categoryId', p.category_id)
$fn$;
`;

  /** `checkout_orders` as it was before this migration. */
  static readonly checkoutOrders = `
create or replace function checkout_orders(p_checkouts jsonb) returns table (
  i int, ok boolean, total bigint, currency text, created_at timestamptz, updated_at timestamptz, items json
) language plpgsql as $fn$
#variable_conflict use_column
begin
  return query
  with input as (
    select (c->>'i')::int as i, (c->>'id')::uuid as order_id, (c->>'userId')::uuid as user_id,
           c->>'key' as key, c->>'hash' as request_hash, jsonb_array_length(c->'productIds') as line_count,
           c->'productIds' as product_ids, c->'quantities' as quantities,
           c->'address' as address, c->>'method' as method
      from jsonb_array_elements(p_checkouts) as c
  ), p as (
    select input.i, l.line_no::int as line_no, (input.quantities->>(l.line_no::int - 1))::int as quantity,
           pr.id, pr.sku, pr.name, pr.price_cents, pr.currency
      from input
      cross join lateral jsonb_array_elements_text(input.product_ids) with ordinality as l(product_id, line_no)
      join products pr on pr.id = l.product_id::uuid and pr.deleted_at is null and pr.status = 'published'
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
    insert into order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity)
    select ord.id, p.line_no, p.id, p.sku, p.name, p.price_cents, p.quantity
      from p join checked on checked.i = p.i join ord on ord.id = checked.order_id
  )
  select checked.i, checked.ok, checked.total, checked.currency, ord.created_at, ord.updated_at,
         (select json_agg(json_build_object('productId', p.id, 'sku', p.sku, 'name', p.name,
                 'unitPriceCents', p.price_cents, 'quantity', p.quantity) order by p.line_no)
            from p where p.i = checked.i)
    from checked left join ord on ord.id = checked.order_id
   order by checked.i;
end
$fn$;
`;

  /** `apply_order_decisions` as it was before this migration. */
  static readonly applyOrderDecisions = `
create or replace function apply_order_decisions(
  p_product_ids uuid[], p_quantities int[], p_order_ids uuid[], p_statuses text[], p_reasons text[]
) returns table (
  id uuid, user_id uuid, status text, failure_reason text, created_at timestamptz, updated_at timestamptz
) language plpgsql as $fn$
#variable_conflict use_column
declare
  v_count int;
  v_payment_ttl int;
begin
  -- By id alone: the status index holds an entry for every order that ever was pending.
  select count(*) filter (where o.status = 'pending') into v_count
    from (select o.status from orders o where o.id = any(p_order_ids) order by o.id for no key update) as o;
  if v_count <> cardinality(p_order_ids) then
    raise exception 'an order of the batch is no longer pending' using errcode = 'LP409';
  end if;

  perform 1 from products p where p.id = any(p_product_ids) order by p.id for no key update;
  with taken as (
    update products p
       set stock = p.stock - d.quantity, version = p.version + 1, updated_at = now()
      from unnest(p_product_ids, p_quantities) as d(id, quantity)
     where p.id = any(p_product_ids) and p.id = d.id
       and p.stock >= d.quantity and p.status = 'published' and p.deleted_at is null
    returning p
  ), events as (
    insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
    select gen_random_uuid(), e.type, e.aggregate_type, e.aggregate_id, e.aggregate_version, e.payload
      from taken t cross join lateral product_upserted_event(t.p) as e
    returning 1
  )
  select count(*) into v_count from events;
  if v_count <> cardinality(p_product_ids) then
    raise exception 'a product of the batch cannot give its units' using errcode = 'LP409';
  end if;

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
                                     '(.{4})(.{4})(.{4})', '\\1-\\2-\\3'),
             d.total_cents, d.currency,
             case d.payment_method when 'bank_transfer' then now() + make_interval(secs => v_payment_ttl) end
        from decided d
       where d.status <> 'failed' and d.payment_method is not null
    )
    select d.id, d.user_id, d.status, d.failure_reason, d.created_at, d.updated_at from decided d;
end
$fn$;
`;

  override up(): void {
    this.addSql(`alter table products add column options jsonb not null default '[]';`);
    this.addSql(`
      create table product_variants (
        id uuid primary key,
        product_id uuid not null,
        sku text not null,
        option_values jsonb not null default '{}',
        price_cents int not null check (price_cents >= 0),
        stock int not null check (stock >= 0),
        version int not null default 1 check (version >= 1),
        sort int not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz,
        constraint product_variants_product_id_fkey foreign key (product_id) references products (id)
      );`);
    this.addSql(
      `create unique index product_variants_sku_key on product_variants (sku) where deleted_at is null;`,
    );
    this.addSql(`
      create unique index product_variants_values_key on product_variants (product_id, option_values)
        where deleted_at is null;`);
    this.addSql(`
      insert into product_variants (id, product_id, sku, price_cents, stock, version, created_at, updated_at,
                                    deleted_at)
      select gen_random_uuid(), id, sku, price_cents, stock, version, created_at, updated_at, deleted_at
        from products;`);
    this.addSql(`
      alter table order_lines
        add column variant_id uuid,
        add column option_values jsonb not null default '{}';`);
    this.addSql(`
      update order_lines l set variant_id = v.id from product_variants v where v.product_id = l.product_id;`);
    this.addSql(`
      alter table order_lines
        alter column variant_id set not null,
        add constraint order_lines_variant_id_fkey foreign key (variant_id) references product_variants (id);`);
    this.addSql(sqlFunction('product-upserted-event.sql'));
    this.addSql(sqlFunction('checkout-orders.sql'));
    this.addSql(dropApplyOrderDecisions);
    this.addSql(sqlFunction('apply-order-decisions.sql'));
  }

  /** Variants beyond a product's first are gone; the products keep their summed stock. */
  override down(): void {
    this.addSql(dropApplyOrderDecisions);
    this.addSql(Migration20261205200001.applyOrderDecisions);
    this.addSql(Migration20261205200001.checkoutOrders);
    this.addSql(Migration20261205200001.productUpsertedEvent);
    this.addSql(`alter table order_lines drop column option_values, drop column variant_id;`);
    this.addSql(`drop table product_variants;`);
    this.addSql(`alter table products drop column options;`);
  }
}
