import { Migration } from '@mikro-orm/migrations';
import { createFunctionHistory } from './function-history';

/**
 * `schema_function_history`, where a migration keeps the function definitions it replaces for
 * its `down()`, on a database whose migrations all ran before it existed (elsewhere the first
 * migration that saved into it made it). Nothing was saved there before: the earlier
 * migrations' `down()` stop on such a database (db/sql/sql-functions.ts).
 */
export class Migration20261205210001 extends Migration {
  override up(): void {
    this.addSql(createFunctionHistory);
  }

  /** The table stays: the earlier migrations' `down()` read it, and may have made it. */
  override down(): void {}
}
