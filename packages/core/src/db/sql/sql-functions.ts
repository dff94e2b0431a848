import { readFileSync } from 'node:fs';

/**
 * The PostgreSQL functions, one file each in this folder. A file is its function's source of
 * truth: migrations run it (`create or replace function ...`), and sql-functions.int.test.ts
 * checks that the migrated schema holds exactly these functions, each as its file defines it.
 *
 * To change a function, edit its file and add a migration that runs it again; that migration's
 * `down()` restores the text it replaces, kept in the migration as a static field (as the
 * earlier migrations keep theirs). A migration runs a file as it is today, so on a new database
 * an earlier migration replays the current text: if that text needs a schema change made later
 * (a `language sql` body is checked when created), give the earlier migration its old text as a
 * static field too. A new function is a new file here, listed below, and a migration that runs it.
 */
export const sqlFunctionFiles = [
  'lapak-outbox-notify.sql',
  'product-upserted-event.sql',
  'checkout-orders.sql',
  'apply-order-decisions.sql',
  'stock-fell-below.sql',
  'stock-low-event.sql',
  'order-domain-event.sql',
  'variant-stock-low-event.sql',
] as const;

export type SqlFunctionFile = (typeof sqlFunctionFiles)[number];

/** The text of a function's file, for a migration to run. */
export function sqlFunction(file: SqlFunctionFile): string {
  return readFileSync(new URL(file, import.meta.url), 'utf8');
}

/**
 * The SQLSTATEs the functions raise on purpose, for callers to match by name. The test of the
 * files checks that every `errcode` a file raises is one of these.
 */
export const sqlStates = {
  /**
   * apply_order_decisions: an order of the batch is no longer pending, or a product can no
   * longer give its units; nothing was written, so the caller reads again and decides again.
   */
  decisionStale: 'LP409',
} as const;

/** Whether `error` is PostgreSQL's error with the SQLSTATE `code`. */
export function hasSqlState(error: unknown, code: (typeof sqlStates)[keyof typeof sqlStates]): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
