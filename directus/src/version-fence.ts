import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { collections, fencedCollections, fencedParents } from './fields';

export const versionFencePath = new URL('../sql/version-fence.sql', import.meta.url);

const marker = (hash: string) => `lapak version fence ${hash}`;
/** The fence's functions, with their argument types. */
const functions = {
  lapak_fence_refused: 'text',
  lapak_fence_item: '',
  lapak_fence_tombstone: '',
  lapak_fence_parent: '',
} as const;
const names = Object.keys(functions);
const triggerName = 'lapak_version_fence';

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The parent check's trigger: named after the fence's own, so that PostgreSQL (which fires a
 * table's triggers in name order) runs it second, on the creates the fence lets through.
 */
const parentTriggerName = `${triggerName}_parent`;

/** The triggers the fence needs, as `pg_get_triggerdef` prints them. */
export function fenceTriggers(schema = 'public'): { table: string; name: string; definition: string }[] {
  const call = (fn: string, args: readonly string[]) => `${fn}(${args.map(quote).join(', ')})`;
  return [
    ...fencedCollections.map((table) => ({
      table,
      name: triggerName,
      definition:
        `CREATE TRIGGER ${triggerName} BEFORE INSERT OR UPDATE ON ${schema}.${table} ` +
        `FOR EACH ROW EXECUTE FUNCTION ${call('lapak_fence_item', collections[table].apiOwned)}`,
    })),
    ...fencedParents.map(({ collection, field, parent }) => ({
      table: collection,
      name: parentTriggerName,
      definition:
        `CREATE TRIGGER ${parentTriggerName} BEFORE INSERT ON ${schema}.${collection} ` +
        `FOR EACH ROW EXECUTE FUNCTION ${call('lapak_fence_parent', [field, parent])}`,
    })),
    {
      table: 'sync_tombstones',
      name: triggerName,
      definition:
        `CREATE TRIGGER ${triggerName} BEFORE INSERT ON ${schema}.sync_tombstones ` +
        `FOR EACH ROW EXECUTE FUNCTION ${call('lapak_fence_tombstone', fencedCollections)}`,
    },
  ];
}

/**
 * Installs the version fence (sql/version-fence.sql and its triggers) into Directus's database,
 * or checks that what is installed is exactly that: the functions carry the file's hash, and each
 * trigger's definition is compared with the one it should have. Runs after the schema (the
 * tables must exist). Returns one line per change.
 */
export async function applyVersionFence(databaseUrl: string): Promise<string[]> {
  const source = await readFile(versionFencePath, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const changes: string[] = [];
  try {
    await client.query('begin');
    // One apply at a time (two deploys at once would both drop and create the triggers).
    await client.query(`select pg_advisory_xact_lock(hashtextextended('lapak version fence', 0))`);
    const installed = await client.query<{ proname: string; comment: string | null }>(
      `select p.proname, obj_description(p.oid, 'pg_proc') as comment
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = current_schema() and p.proname = any($1)`,
      [names],
    );
    const current =
      installed.rows.length === names.length && installed.rows.every((row) => row.comment === marker(hash));
    if (!current) {
      await client.query(source);
      for (const [fn, args] of Object.entries(functions)) {
        await client.query(`comment on function ${fn}(${args}) is ${quote(marker(hash))}`);
      }
      changes.push(`installed the version fence functions (sql/version-fence.sql ${hash})`);
    }
    const schema = (await client.query<{ schema: string }>('select current_schema() as schema')).rows[0]!
      .schema;
    for (const { table, name, definition } of fenceTriggers(schema)) {
      const found = await client.query<{ definition: string }>(
        `select pg_get_triggerdef(t.oid) as definition
           from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
          where t.tgname = $1 and c.relname = $2 and n.nspname = $3`,
        [name, table, schema],
      );
      if (found.rows[0]?.definition === definition) continue;
      await client.query(`drop trigger if exists ${name} on ${schema}.${table}`);
      await client.query(definition);
      const what = name === triggerName ? 'the version fence trigger' : `the version fence trigger ${name}`;
      changes.push(`${found.rows.length ? 'replaced' : 'created'} ${what} on ${table}`);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return changes;
}
