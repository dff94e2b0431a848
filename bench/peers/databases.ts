import { databaseUrl, query } from '../../scripts/start/database';

/** Drops (if there) and creates a database for a peer, through the server's `postgres` database. */
export async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = databaseUrl(serverUrl, 'postgres');
  await query(admin, `drop database if exists "${database}" with (force)`);
  await query(admin, `create database "${database}"`);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await query(databaseUrl(serverUrl, 'postgres'), `drop database if exists "${database}" with (force)`);
}

/** The pids of the PostgreSQL backends serving one database. */
export async function backendPids(serverUrl: string, database: string): Promise<number[]> {
  const rows = await query<{ pid: number }>(
    databaseUrl(serverUrl, 'postgres'),
    'select pid from pg_stat_activity where datname = $1',
    [database],
  );
  return rows.map((row) => row.pid);
}
