import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestEnv } from '../testing';
import { db } from './database';
import { migrations } from './migrations';

const env = useTestEnv();

const kysely = () => db(env.orm.em.fork());

const definition = async (name: string) => {
  const { rows } = await sql<{ body: string }>`
    select pg_get_functiondef(p.oid) as body from pg_proc p where p.proname = ${name}`.execute(kysely());
  return rows.map((row) => row.body);
};

const applied = (migrated: { name: string }[]) => migrated.map((migration) => migration.name);

describe('migrations', () => {
  it('go down past the payment migrations, restoring the functions they replaced, and up again', async () => {
    const names = migrations.map((migration) => migration.name);
    const since = names.slice(names.indexOf('Migration20261205010001')).reverse();
    const [current] = await definition('apply_order_decisions');

    // On a new database every migration created the function from its file as it is today.
    expect(applied(await env.orm.migrator.down({ to: 'Migration20261204010001' }))).toEqual(since);
    expect(await definition('apply_order_decisions')).toEqual([current]);

    // Another text before the payment migrations, with the parameter names of a database
    // migrated before variants: up() replaces it and down() brings it back.
    const before = current!.replaceAll('p_variant_ids', 'p_product_ids');
    await sql`drop function apply_order_decisions`.execute(kysely());
    await sql.raw(before).execute(kysely());
    expect(applied(await env.orm.migrator.up())).toEqual([...since].reverse());
    expect(await definition('apply_order_decisions')).toEqual([current]);
    await env.orm.migrator.down({ to: 'Migration20261204010001' });
    expect(await definition('apply_order_decisions')).toEqual([before]);

    await env.orm.migrator.up();
    expect(await definition('apply_order_decisions')).toEqual([current]);
    expect(await env.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).toBe('');
  });

  it.each([
    {
      saved: 'its saved definition',
      lose: sql`delete from schema_function_history where migration = 'Migration20261205100002'`,
      keep: undefined,
    },
    {
      saved: 'the table of saved definitions',
      lose: sql`alter table schema_function_history rename to schema_function_history_kept`,
      keep: sql`alter table schema_function_history_kept rename to schema_function_history`,
    },
  ])(
    'stop a down() without $saved, naming the migration and the function, and change nothing',
    async ({ lose, keep }) => {
      const executed = await env.orm.migrator.getExecuted();
      const [current] = await definition('lapak_order_domain_event');
      await lose.execute(kysely());
      try {
        await expect(env.orm.migrator.down({ to: 'Migration20261205200002' })).rejects.toThrow(
          'Migration20261205100002 cannot be reverted: the definition of lapak_order_domain_event that it ' +
            'replaced was not saved (it ran before migrations saved them). Restore the database from a ' +
            'backup taken before Migration20261205100002.',
        );
      } finally {
        await keep?.execute(kysely());
      }

      expect(await env.orm.migrator.getExecuted()).toEqual(executed);
      expect(await definition('lapak_order_domain_event')).toEqual([current]);
    },
  );
});
