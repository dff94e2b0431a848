import { Migration } from '@mikro-orm/migrations';
import { sqlFunction } from '../sql/sql-functions';
import { Migration20261202040001 } from './Migration20261202040001';
import { Migration20261205200001 } from './Migration20261205200001';

/**
 * Orders wait for payment. Orders get a shipping address and a payment method (null on orders
 * placed before); `awaiting_payment` and `payment_expired` join the statuses and failure reasons;
 * `payments` holds each decided order's payment (what is owed, by when, the reference the
 * shopper quotes); `shop_settings` holds the settings an admin changes at run time, among them
 * the payment window. `checkout_orders` stores the address and method, and
 * `apply_order_decisions` reserves a bank transfer's stock as `awaiting_payment` and opens the
 * payments, from their files.
 */
export class Migration20261205010001 extends Migration {
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

  return query
    update orders o
       set status = d.status, failure_reason = d.reason, updated_at = clock_timestamp()
      from unnest(p_order_ids, p_statuses, p_reasons) as d(id, status, reason)
     where o.id = any(p_order_ids) and o.id = d.id
    returning o.id, o.user_id, o.status, o.failure_reason, o.created_at, o.updated_at;
end
$fn$;
`;

  override up(): void {
    this.addSql(`
      alter table orders
        drop constraint orders_status_check,
        add constraint orders_status_check
          check (status in ('pending', 'awaiting_payment', 'confirmed', 'failed', 'cancelled')),
        drop constraint orders_failure_reason_check,
        add constraint orders_failure_reason_check check (failure_reason in
          ('out_of_stock', 'product_unavailable', 'payment_expired', 'processing_failed', 'timed_out')),
        add column shipping_address jsonb,
        add column payment_method text check (payment_method in ('bank_transfer', 'cash_on_delivery'));`);
    this.addSql(`
      create table payments (
        order_id uuid primary key,
        method text not null check (method in ('bank_transfer', 'cash_on_delivery')),
        status text not null check (status in ('pending', 'paid', 'due_on_delivery', 'expired', 'refunded')),
        reference text not null constraint payments_reference_key unique,
        amount_cents bigint not null check (amount_cents >= 0),
        currency char(3) not null,
        due_at timestamptz,
        paid_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint payments_order_id_fkey foreign key (order_id) references orders (id) on delete cascade
      );`);
    this.addSql(`create index payments_due_idx on payments (due_at) where status = 'pending';`);
    this.addSql(`
      create table shop_settings (
        id boolean primary key default true check (id),
        shop_name text not null default 'Lapak',
        payment_ttl_seconds int not null default 86400
          check (payment_ttl_seconds >= 10 and payment_ttl_seconds <= 2592000),
        bank_name text not null default 'Bank Lapak (demo)',
        bank_account_number text not null default '000-000-0000',
        bank_account_holder text not null default 'Lapak',
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`insert into shop_settings default values;`);
    this.addSql(sqlFunction('checkout-orders.sql'));
    // As it was then: the file's text has the variants' parameters of a later migration.
    this.addSql(Migration20261205200001.applyOrderDecisions);
  }

  /** Orders that waited for payment or expired unpaid cannot be told in the old statuses: gone. */
  override down(): void {
    this.addSql(Migration20261202040001.checkoutOrders);
    this.addSql(Migration20261205010001.applyOrderDecisions);
    this.addSql(`drop table shop_settings;`);
    this.addSql(`drop table payments;`);
    this.addSql(
      `delete from orders where status = 'awaiting_payment' or failure_reason = 'payment_expired';`,
    );
    this.addSql(`
      alter table orders
        drop column payment_method,
        drop column shipping_address,
        drop constraint orders_failure_reason_check,
        add constraint orders_failure_reason_check
          check (failure_reason in ('out_of_stock', 'product_unavailable', 'processing_failed', 'timed_out')),
        drop constraint orders_status_check,
        add constraint orders_status_check check (status in ('pending', 'confirmed', 'failed', 'cancelled'));`);
  }
}
