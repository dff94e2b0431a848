import pg from 'pg';
import { createPostgreSqlTypeParsers } from '@mikro-orm/postgresql';

/** bigint columns (sequence numbers, cents) hold integers far below 2^53; one beyond it is an error, never rounded. */
function parseSafeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
  return n;
}

/**
 * Column values as the entities type them, for every query (the ORM's and Kysely's):
 * `timestamptz` is a `Date` and `bigint` a `number`. MikroORM's own parsers keep both as
 * strings, which the Kysely types inferred from the entities would not say.
 */
export function pgTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  // Arrays of those types stay arrays of strings, as MikroORM parses them (the text[] parser).
  const arrayParse = pg.types.getTypeParser(pg.types.builtins.TEXT, 'text') as unknown as (
    value: string,
  ) => string[];
  for (const [oid, parse] of Object.entries(createPostgreSqlTypeParsers(arrayParse))) {
    types.setTypeParser(Number(oid), parse);
  }
  types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ));
  types.setTypeParser(pg.types.builtins.INT8, parseSafeInteger);
  return types;
}
