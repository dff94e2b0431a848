import { Migration } from '@mikro-orm/migrations';
import { replaceFunctions, restoreFunctions } from './function-history';

/**
 * Order events name each line's variant and option values (`order_lines.variant_id`,
 * `option_values`), so a mail says which size or weight was ordered: `lapak_order_domain_event`
 * from its file again.
 */
export class Migration20261205100002 extends Migration {
  override up(): void {
    replaceFunctions(this, 'order-domain-event.sql');
  }

  override down(): void {
    restoreFunctions(this, 'lapak_order_domain_event');
  }
}
