import pg from 'pg';
import { createOrm, migrate } from '@lapak/core';

/** The connection URL of another database on the same server as `url`. */
export function databaseUrl(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

/** Creates the databases that do not exist yet; returns the ones it created. */
export async function ensureDatabases(url: string, names: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl(url, 'postgres') });
  await client.connect();
  const created: string[] = [];
  try {
    for (const name of names) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) continue;
      await client.query(`create database "${name.replaceAll('"', '""')}"`);
      created.push(name);
    }
  } finally {
    await client.end();
  }
  return created;
}

/** Applies Lapak's pending migrations; returns their names. */
export async function migrateLapak(url: string): Promise<string[]> {
  const orm = await createOrm({ databaseUrl: url, poolMax: 1 });
  try {
    return await migrate(orm);
  } finally {
    await orm.close();
  }
}
