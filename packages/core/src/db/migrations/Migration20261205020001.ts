import { Migration } from '@mikro-orm/migrations';

/**
 * Limits on hoarding stock, set by an admin: how many orders one shopper may have open (pending
 * or awaiting payment) and how many units of a product one order may ask for; and the index that
 * counts a shopper's open orders at checkout.
 */
export class Migration20261205020001 extends Migration {
  override up(): void {
    this.addSql(`
      alter table shop_settings
        add column max_open_orders_per_user int not null default 5
          constraint shop_settings_max_open_orders_per_user_check
          check (max_open_orders_per_user >= 1 and max_open_orders_per_user <= 1000),
        add column max_units_per_line int not null default 20
          constraint shop_settings_max_units_per_line_check
          check (max_units_per_line >= 1 and max_units_per_line <= 1000);`);
    this.addSql(`
      create index orders_open_user_idx on orders (user_id) where status in ('pending', 'awaiting_payment');`);
  }

  override down(): void {
    this.addSql(`drop index orders_open_user_idx;`);
    this.addSql(
      `alter table shop_settings drop column max_units_per_line, drop column max_open_orders_per_user;`,
    );
  }
}
