import pg from 'pg';
import { createOrm, migrate } from '../db/orm';

/** The same server as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return `"${name}"`;
};

/** Creates `template` and migrates it once; test files then copy it. */
export async function createTemplateDatabase(url: string, template: string): Promise<void> {
  await admin(url, async (client) => {
    await client.query(`drop database if exists ${ident(template)} with (force)`);
    await client.query(`create database ${ident(template)}`);
  });
  const orm = await createOrm({ databaseUrl: withDatabase(url, template), poolMax: 1 });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
}

/** A fresh copy of the template; retries while another copy is being made from it. */
export async function cloneDatabase(url: string, template: string, name: string): Promise<string> {
  await admin(url, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${ident(name)} template ${ident(template)}`);
        return;
      } catch (error) {
        const busy = error instanceof Error && /being accessed by other users/.test(error.message);
        if (!busy || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return withDatabase(url, name);
}

export async function dropDatabases(url: string, namePrefix: string): Promise<void> {
  await admin(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`${namePrefix}%`],
    );
    for (const { datname } of rows)
      await client.query(`drop database if exists ${ident(datname)} with (force)`);
  });
}
