import { Migration } from '@mikro-orm/migrations';
import { replaceFunctions, restoreFunctions } from './function-history';

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
    replaceFunctions(this, 'checkout-orders.sql', 'apply-order-decisions.sql');
  }

  /** Orders that waited for payment or expired unpaid cannot be told in the old statuses: gone. */
  override down(): void {
    restoreFunctions(this, 'checkout_orders', 'apply_order_decisions');
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
