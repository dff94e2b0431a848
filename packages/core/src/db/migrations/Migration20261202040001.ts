import { Migration } from '@mikro-orm/migrations';
import { replaceFunctions, restoreFunctions } from './function-history';

/**
 * `checkout_orders` looked its lines' products up with a join the planner could only estimate:
 * it takes every JSON array as 100 elements, so 10,000 lines per call, and chose to read and hash
 * every published product on each call (a lone checkout hashed the whole catalog; measured on
 * 1,000 products, two thirds of the statement's time, growing with the catalog). The products are
 * now also filtered by `id = any(<the lines' ids>)`, an index condition, so a call reads only the
 * products its lines name, as the order worker's statements already do. Same rules and results.
 * Replaced from db/sql/checkout-orders.sql as it is today.
 */
export class Migration20261202040001 extends Migration {
  override up(): void {
    replaceFunctions(this, 'checkout-orders.sql');
  }

  override down(): void {
    restoreFunctions(this, 'checkout_orders');
  }
}
