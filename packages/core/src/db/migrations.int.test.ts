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
  it('take the last one down and up again to the schema the entities describe', async () => {
    const last = migrations.at(-1)!.name;
    const current = await definition('apply_order_decisions');

    const down = await env.orm.migrator.down();
    expect(down.map((migration) => migration.name)).toEqual([last]);
    const before = await definition('apply_order_decisions');
    expect(before).toHaveLength(1);
    expect(before).not.toEqual(current);

    const up = await env.orm.migrator.up();
    expect(up.map((migration) => migration.name)).toEqual([last]);
    expect(await definition('apply_order_decisions')).toEqual(current);
    expect(await env.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).toBe('');
  });
});
