import { Migration } from '@mikro-orm/migrations';
import { createFunctions } from './function-history';

/**
 * `apply_order_decisions(...)`: writes a batch of order decisions made against stock read
 * without locks, in one statement, so no row stays locked while the worker is busy between
 * statements. It locks the orders, then the products, each in id order (the order every other
 * writer uses); takes each product's units only where that much remains and the product is
 * sellable, bumping its version once and appending its `product.upserted` event to the outbox
 * (the `data` of `productUpserted` in catalog-events.ts); and writes the statuses. If an order is
 * no longer pending or a product cannot give its units (the catalog moved since the read), it
 * raises `LP409` and nothing is written: the caller reads again and decides again.
 * Input: the products and units to take, and per order its status and failure reason.
 * Output: the changed orders. Every statement finds its rows by the id arrays (`id = any(...)`),
 * so a plan cached for the session looks them up by index instead of joining whole tables.
 * Created from db/sql/apply-order-decisions.sql as it is today.
 */
export class Migration20261202020001 extends Migration {
  override up(): void {
    createFunctions(this, 'apply-order-decisions.sql');
  }

  override down(): void {
    this.addSql(`drop function if exists apply_order_decisions(uuid[], int[], uuid[], text[], text[]);`);
  }
}
