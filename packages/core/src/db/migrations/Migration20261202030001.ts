import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox is a queue table: every event is inserted, then updated once when relayed, and kept
 * for SYNC_RETENTION_DAYS. By default autovacuum waits for a fifth of the table to be dead, which
 * for days of kept events means hours; until then the relay's scans of the unrelayed index walk
 * every entry an update left behind (measured: 1,500 pages per scan after 30,000 relayed events).
 * Vacuum and analyze it by count instead: every 10,000 changed rows, whatever its size.
 */
export class Migration20261202030001 extends Migration {
  override up(): void {
    this.addSql(`
      alter table outbox_events set (
        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
        autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000
      );`);
  }

  override down(): void {
    this.addSql(`
      alter table outbox_events reset (
        autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
        autovacuum_analyze_scale_factor, autovacuum_analyze_threshold
      );`);
  }
}
