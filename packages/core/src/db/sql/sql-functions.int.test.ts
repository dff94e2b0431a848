import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { useTestEnv } from '../../testing';
import { sqlFunction, sqlFunctionFiles, sqlStates, type SqlFunctionFile } from './sql-functions';

const env = useTestEnv();

/** Where the files' functions are created to be compared with the migrated ones. */
const scratch = 'sql_files';

const files = Object.keys(sqlFunctionFiles) as SqlFunctionFile[];

/**
 * The functions of `schema` that no extension owns, by signature, as `pg_get_functiondef`
 * prints them (the schema name taken out of the header, so two schemas' copies compare equal).
 */
async function functionsIn(db: Kysely<unknown>, schema: string): Promise<Record<string, string>> {
  const { rows } = await sql<{ signature: string; definition: string }>`
    select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
           pg_get_functiondef(p.oid) as definition
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = ${schema}
       and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  `.execute(db);
  return Object.fromEntries(
    rows.map((row) => [row.signature, row.definition.replace(`FUNCTION ${schema}.`, 'FUNCTION ')]),
  );
}

describe('db/sql function files', () => {
  it('are exactly the functions of the migrated schema, each as its file defines it', async () => {
    const { migrated, fromFiles } = await env.orm.em
      .fork()
      .getKysely()
      .transaction()
      .execute(async (trx) => {
        await sql`create schema ${sql.id(scratch)}`.execute(trx);
        // Created in the first schema of the path; `public` stays on it for the tables and
        // types the files name, so both copies print their types the same way.
        await sql`set local search_path = ${sql.id(scratch)}, public`.execute(trx);
        for (const file of files) await sql.raw(sqlFunction(file)).execute(trx);
        return { migrated: await functionsIn(trx, 'public'), fromFiles: await functionsIn(trx, scratch) };
      });

    const names = Object.keys(fromFiles).map((signature) => signature.slice(0, signature.indexOf('(')));
    expect(names.sort()).toEqual(Object.values(sqlFunctionFiles).sort());
    expect(migrated).toEqual(fromFiles);
  });

  it('raise only the SQLSTATEs named in sqlStates, and each named one is raised', () => {
    const raised = new Set(
      files.flatMap((file) =>
        [...sqlFunction(file).matchAll(/errcode\s*=\s*'(\w+)'/gi)].map((match) => match[1]),
      ),
    );

    expect([...raised].sort()).toEqual(Object.values(sqlStates).sort());
  });
});
