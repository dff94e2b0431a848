import { Migration } from '@mikro-orm/migrations';
import { createFunctions } from './function-history';

/**
 * `stock.low` per variant: `lapak_variant_stock_low_event` when a variant of a product with
 * options falls below the shop's threshold, in the statement that lowers it.
 */
export class Migration20261205200002 extends Migration {
  override up(): void {
    createFunctions(this, 'variant-stock-low-event.sql');
    this.addSql(`
      create trigger product_variants_stock_low after update of stock on product_variants
        for each row when (new.stock < old.stock) execute function lapak_variant_stock_low_event();`);
  }

  override down(): void {
    this.addSql(`drop trigger product_variants_stock_low on product_variants;`);
    this.addSql(`drop function lapak_variant_stock_low_event();`);
  }
}
