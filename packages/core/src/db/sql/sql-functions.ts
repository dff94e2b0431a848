import { readFileSync } from 'node:fs';

/**
 * The PostgreSQL functions, one file each in this folder, by the name of the function it
 * defines. A file is its function's source of truth: migrations run it (`create or replace
 * function ...`), and sql-functions.int.test.ts checks that the migrated schema holds exactly
 * these functions, each as its file defines it.
 *
 * A migration runs a file as it is today (db/migrations/function-history.ts), with
 * `check_function_bodies` off as pg_dump restores functions: a body is then checked when it runs,
 * not when it is created, so an earlier migration can create today's text before the tables it
 * names exist. So on a new database every migration that creates a function creates its current
 * text, which holds as long as no migration calls a function, or fires a trigger, before the
 * tables that text names exist (none does).
 *
 * To change a function, edit its file and add a migration whose `up()` replaces it
 * (`replaceFunctions`): that saves the definition being replaced in `schema_function_history`
 * first, and the migration's `down()` restores what was saved (`restoreFunctions`). A database
 * whose `up()` ran before definitions were saved has nothing to restore: that `down()` stops
 * with an error naming the migration and the function and changes nothing; restore such a
 * database from a backup instead. A new function is a new file here, listed below, and a
 * migration that creates it (`createFunctions`).
 */
export const sqlFunctionFiles = {
  'lapak-outbox-notify.sql': 'lapak_outbox_notify',
  'product-upserted-event.sql': 'product_upserted_event',
  'checkout-orders.sql': 'checkout_orders',
  'apply-order-decisions.sql': 'apply_order_decisions',
  'stock-fell-below.sql': 'stock_fell_below',
  'stock-low-event.sql': 'lapak_stock_low_event',
  'order-domain-event.sql': 'lapak_order_domain_event',
  'variant-stock-low-event.sql': 'lapak_variant_stock_low_event',
} as const;

export type SqlFunctionFile = keyof typeof sqlFunctionFiles;

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
