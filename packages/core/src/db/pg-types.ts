import pg from 'pg';
import { createPostgreSqlTypeParsers } from '@mikro-orm/postgresql';

/** The type oid of `text[]` (not among pg's named builtins). */
const textArrayOid = 1009;

/** bigint columns (sequence numbers, cents) hold integers far below 2^53; one beyond it is an error, never rounded. */
function parseSafeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
  return n;
}

/**
 * Column values as the entities type them, for every query (the ORM's and Kysely's):
 * `timestamptz` is a `Date` and `bigint` a `number`. MikroORM's own parsers keep both as
 * strings, which the Kysely types inferred from the entities would not say. A `Date` holds
 * milliseconds and PostgreSQL microseconds, so comparisons between rows stay in SQL (the order
 * list's cursor is compared there).
 */
export function pgTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  // MikroORM's parsers (date, timestamp, interval kept as text) parse their arrays with the
  // function given; text[]'s parser keeps the elements strings, as MikroORM does.
  const arrayParse = (pg.types.getTypeParser as (oid: number) => (value: string) => string[])(textArrayOid);
  for (const [oid, parse] of Object.entries(createPostgreSqlTypeParsers(arrayParse))) {
    types.setTypeParser(Number(oid), parse);
  }
  types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ));
  types.setTypeParser(pg.types.builtins.INT8, parseSafeInteger);
  return types;
}
