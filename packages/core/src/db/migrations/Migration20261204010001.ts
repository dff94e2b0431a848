import { Migration } from '@mikro-orm/migrations';
import { createFunctions, replaceFunctions, restoreFunctions, saveFunctions } from './function-history';

/**
 * The functions from their files in db/sql/, their source of truth:
 * - `product_upserted_event(products)`, new: the one definition of a product's `product.upserted`
 *   outbox row, which `apply_order_decisions` now inserts (same event, same statement);
 * - `checkout_orders` and `lapak_outbox_notify`, the same functions as before;
 * - `checkout_order` dropped: nothing calls it since checkouts are written in batches
 *   (`checkout_orders`).
 */
export class Migration20261204010001 extends Migration {
  override up(): void {
    replaceFunctions(this, 'lapak-outbox-notify.sql', 'checkout-orders.sql', 'apply-order-decisions.sql');
    createFunctions(this, 'product-upserted-event.sql');
    saveFunctions(this, 'checkout_order');
    this.addSql(`drop function checkout_order(uuid, uuid, text, text, uuid[], int[]);`);
  }

  override down(): void {
    restoreFunctions(
      this,
      'lapak_outbox_notify',
      'checkout_orders',
      'apply_order_decisions',
      'checkout_order',
    );
    this.addSql(`drop function product_upserted_event(products);`);
  }
}
