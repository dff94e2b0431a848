import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestEnv } from '../testing';
import { db } from './database';

const env = useTestEnv();

/** What MikroORM would run to bring the database to the entities (empty when they agree). */
const updateSql = () => env.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });

describe('entities and migrations', () => {
  it('describe the same tables: columns, types, defaults, keys, indexes and checks', async () => {
    expect(await updateSql()).toBe('');
  });

  it('disagree as soon as the database differs from an entity', async () => {
    const kysely = db(env.orm.em.fork());
    await sql`drop index products_status_idx`.execute(kysely);
    try {
      expect(await updateSql()).toContain('products_status_idx');
    } finally {
      await sql`create index products_status_idx on products (status, id) where deleted_at is null`.execute(
        kysely,
      );
    }
  });
});
