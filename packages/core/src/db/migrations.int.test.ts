import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestEnv } from '../testing';
import { db } from './database';
import { migrations } from './migrations';

const env = useTestEnv();

const definition = async (name: string) => {
  const { rows } = await sql<{ body: string }>`
    select pg_get_functiondef(p.oid) as body from pg_proc p where p.proname = ${name}`.execute(
    db(env.orm.em.fork()),
  );
  return rows.map((row) => row.body);
};

describe('migrations', () => {
  it('go down past the payment migrations and up again to the schema the entities describe', async () => {
    const names = migrations.map((migration) => migration.name);
    const since = names.slice(names.indexOf('Migration20261205010001')).reverse();
    const current = await definition('apply_order_decisions');

    const down = await env.orm.migrator.down({ to: 'Migration20261204010001' });
    expect(down.map((migration) => migration.name)).toEqual(since);
    const before = await definition('apply_order_decisions');
    expect(before).toHaveLength(1);
    expect(before).not.toEqual(current);

    const up = await env.orm.migrator.up();
    expect(up.map((migration) => migration.name)).toEqual([...since].reverse());
    expect(await definition('apply_order_decisions')).toEqual(current);
    expect(await env.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).toBe('');
  });
});
