import { Migration } from '@mikro-orm/migrations';
import { sqlFunction } from '../sql/sql-functions';
import { Migration20261122010000 } from './Migration20261122010000';
import { Migration20261202020001 } from './Migration20261202020001';
import { Migration20261202040001 } from './Migration20261202040001';
import { Migration20261205010001 } from './Migration20261205010001';
import { Migration20261205200001 } from './Migration20261205200001';

/**
 * The functions from their files in db/sql/, their source of truth from here on:
 * - `product_upserted_event(products)`, new: the one definition of a product's `product.upserted`
 *   outbox row, which `apply_order_decisions` now inserts (same event, same statement);
 * - `checkout_orders` and `lapak_outbox_notify`, the same functions as before;
 * - `checkout_order` dropped: nothing calls it since checkouts are written in batches
 *   (`checkout_orders`).
 */
export class Migration20261204010001 extends Migration {
  override up(): void {
    this.addSql(sqlFunction('lapak-outbox-notify.sql'));
    // As they were then: their files' texts need the variants of a later migration.
    this.addSql(Migration20261205200001.productUpsertedEvent);
    this.addSql(sqlFunction('checkout-orders.sql'));
    this.addSql(Migration20261205010001.applyOrderDecisions);
    this.addSql(`drop function checkout_order(uuid, uuid, text, text, uuid[], int[]);`);
  }

  /** `lapak_outbox_notify` stays as it is: the file's text is the same function. */
  override down(): void {
    this.addSql(Migration20261122010000.checkoutOrder);
    this.addSql(Migration20261202040001.checkoutOrders);
    this.addSql(`drop function apply_order_decisions(uuid[], int[], uuid[], text[], text[]);`);
    this.addSql(Migration20261202020001.applyOrderDecisions);
    this.addSql(`drop function product_upserted_event(products);`);
  }
}
