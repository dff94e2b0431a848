import { Migration } from '@mikro-orm/migrations';

/**
 * Admins list everyone's orders newest first, optionally within a created-at range; without a
 * user or status to narrow by, that read needs its own index in the list's sort order.
 */
export class Migration20261122070001 extends Migration {
  override up(): void {
    this.addSql(`create index orders_created_idx on orders (created_at desc, id desc);`);
  }

  override down(): void {
    this.addSql(`drop index orders_created_idx;`);
  }
}
