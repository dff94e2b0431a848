import type { Migration } from '@mikro-orm/migrations';
import { sqlFunction, sqlFunctionFiles, type SqlFunctionFile } from '../sql/sql-functions';

/**
 * How migrations create, replace and restore the PostgreSQL functions (the rule is in
 * db/sql/sql-functions.ts). Each helper adds its statements to the migration, in the order they
 * are called; a migration runs in a transaction, so a failing statement leaves nothing behind.
 */

/**
 * Where a migration's `up()` keeps the definition of each function it replaces or drops, as
 * `pg_get_functiondef` prints it (a `create or replace function` statement), for its `down()` to
 * run again. Made by the first migration that saves into it (whichever that is on a database
 * migrated partly before it existed), or by Migration20261205210001 on a database migrated
 * fully before; the entity SchemaFunctionHistory describes it.
 */
export const createFunctionHistory = `
  create table if not exists schema_function_history (
    migration text not null,
    name text not null,
    definition text not null,
    saved_at timestamptz not null default now(),
    constraint schema_function_history_pkey primary key (migration, name)
  );`;

/**
 * Functions whose parameters were renamed (`apply_order_decisions`' first, `p_product_ids` to
 * `p_variant_ids`), which `create or replace` cannot do: the text a migration runs may name them
 * either way, so it drops the function first. No trigger calls them, so nothing stops the drop.
 */
const droppedToReplace: ReadonlySet<string> = new Set(['apply_order_decisions']);

/**
 * A function's body is checked when it runs, not when it is created (as pg_dump restores
 * functions), so a file's text, or a saved definition, can be created before or after the
 * tables it names exist. Until the end of the migrations' transaction.
 */
const uncheckedBodies = `set local check_function_bodies = off;`;

/**
 * What a migration is saved under: its class name, which is also its name in the migrations
 * list (index.ts). Migrations run from source, so the name is as written.
 */
const nameOf = (migration: Migration): string => migration.constructor.name;

/** Creates (or replaces) the functions of `files`, each from its file as it is today. */
export function createFunctions(migration: Migration, ...files: SqlFunctionFile[]): void {
  migration.addSql(uncheckedBodies);
  for (const file of files) {
    if (droppedToReplace.has(sqlFunctionFiles[file])) {
      migration.addSql(`drop function if exists ${sqlFunctionFiles[file]};`);
    }
    migration.addSql(sqlFunction(file));
  }
}

/** Saves the functions `names` as they are now, for the migration's `down()` to restore. */
export function saveFunctions(migration: Migration, ...names: string[]): void {
  migration.addSql(createFunctionHistory);
  for (const name of names) {
    migration.addSql(`
      insert into schema_function_history (migration, name, definition)
      select '${nameOf(migration)}', '${name}', pg_get_functiondef(to_regproc('${name}'))
       where to_regproc('${name}') is not null
      on conflict (migration, name) do update set definition = excluded.definition, saved_at = now();`);
  }
}

/** Saves the functions of `files` as they are, then creates them from their files. */
export function replaceFunctions(migration: Migration, ...files: SqlFunctionFile[]): void {
  saveFunctions(migration, ...files.map((file) => sqlFunctionFiles[file]));
  createFunctions(migration, ...files);
}

/**
 * `down()`: creates the functions `names` again as the migration's `up()` saved them. A function
 * with nothing saved (its `up()` ran before migrations saved definitions) stops the migration
 * with an error that names it; the transaction then undoes whatever ran before.
 */
export function restoreFunctions(migration: Migration, ...names: string[]): void {
  const from = nameOf(migration);
  migration.addSql(uncheckedBodies);
  for (const name of names) {
    const unsaved =
      `${from} cannot be reverted: the definition of ${name} that it replaced was not saved (it ran ` +
      `before migrations saved them). Restore the database from a backup taken before ${from}.`;
    const drop = droppedToReplace.has(name) ? `drop function if exists ${name};` : '';
    migration.addSql(`
      do $restore$
      declare
        v_definition text;
      begin
        if to_regclass('schema_function_history') is not null then
          delete from schema_function_history h where h.migration = '${from}' and h.name = '${name}'
          returning h.definition into v_definition;
        end if;
        if v_definition is null then
          raise exception '%', '${unsaved}';
        end if;
        ${drop}
        execute v_definition;
      end
      $restore$;`);
  }
}
