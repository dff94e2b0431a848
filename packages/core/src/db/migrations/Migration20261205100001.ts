import { Migration } from '@mikro-orm/migrations';
import { createFunctions } from './function-history';

/**
 * Domain events for the automation flows (docs/automation.md), written to the outbox by triggers
 * in the transaction of the change, whoever makes it:
 * - `shop_settings.low_stock_threshold` (default 5), the threshold an admin sets;
 * - `stock_fell_below` and `lapak_stock_low_event`: `stock.low` when a product's stock crosses
 *   below the threshold, in the statement that lowers it;
 * - `lapak_order_domain_event`: an order's `order.<status>` event, from a constraint trigger
 *   deferred to the commit, so it sees the payment and lines the same transaction wrote.
 */
export class Migration20261205100001 extends Migration {
  override up(): void {
    this.addSql(`
      alter table shop_settings add column low_stock_threshold int not null default 5,
        add constraint shop_settings_low_stock_threshold_check
          check (low_stock_threshold >= 0 and low_stock_threshold <= 1000000);`);
    createFunctions(this, 'stock-fell-below.sql', 'stock-low-event.sql', 'order-domain-event.sql');
    this.addSql(`
      create trigger products_stock_low after update of stock on products
        for each row when (new.stock < old.stock) execute function lapak_stock_low_event();`);
    this.addSql(`
      create constraint trigger orders_domain_event after update of status on orders
        deferrable initially deferred
        for each row when (new.status is distinct from old.status)
        execute function lapak_order_domain_event();`);
  }

  override down(): void {
    this.addSql(`drop trigger orders_domain_event on orders;`);
    this.addSql(`drop trigger products_stock_low on products;`);
    this.addSql(`drop function lapak_order_domain_event();`);
    this.addSql(`drop function lapak_stock_low_event();`);
    this.addSql(`drop function stock_fell_below(int, int, int);`);
    this.addSql(`alter table shop_settings drop column low_stock_threshold;`);
  }
}
