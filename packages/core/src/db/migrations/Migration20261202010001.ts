import { Migration } from '@mikro-orm/migrations';
import { createFunctions } from './function-history';

/**
 * `checkout_orders(jsonb)`: the checkout write of a whole batch of checkouts as set-based
 * statements, instead of one `checkout_order` call per checkout (each call ran its own
 * executor: most of PostgreSQL's CPU per checkout). Same rules, per checkout: every line's
 * product published and not deleted, one currency; only then the idempotency record first
 * (`on conflict do nothing`: a key taken before, or earlier in the same batch, inserts
 * nothing), the pending order with its total and its lines with the products' sku, name and
 * price of this moment. Input: a JSON array of `{i, id, userId, key, hash, productIds,
 * quantities}`; one row per checkout, in `i` order: `ok` false for a bad line, `created_at`
 * null when the key was already used, else the new order's timestamps and lines. Created from
 * db/sql/checkout-orders.sql as it is today.
 */
export class Migration20261202010001 extends Migration {
  override up(): void {
    createFunctions(this, 'checkout-orders.sql');
  }

  override down(): void {
    this.addSql(`drop function if exists checkout_orders(jsonb);`);
  }
}
