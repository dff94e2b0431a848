import pg from 'pg';
import { createOrm, grantAppRole, migrate } from '@lapak/core';

/** The connection URL of another database on the same server as `url`. */
export function databaseUrl(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

/** Runs one statement on `url` in a connection of its own; returns its rows. */
export async function query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** `url` with another user and password (same server, same database unless given). */
export function roleUrl(url: string, role: DatabaseRole, database?: string): string {
  const target = new URL(database ? databaseUrl(url, database) : url);
  target.username = role.name;
  target.password = role.password;
  return target.toString();
}

export interface DatabaseRole {
  name: string;
  password: string;
}

/** The databases the run command keeps, each with the role that owns it. */
export interface DatabasePlan {
  databases: { name: string; owner: DatabaseRole }[];
  /** Roles that own nothing (the app's). */
  others: DatabaseRole[];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Makes every role and database of the plan exist as planned, as the server's admin (the user
 * of DATABASE_URL, the local superuser): each role a plain login role (no superuser, no role or
 * database creation) with its password, each database owned by its role, and in a database made
 * before roles were (owned by the admin) every table, view, sequence, function and type of the
 * public schema handed to that owner. Returns the databases it created.
 */
export async function ensureRolesAndDatabases(adminUrl: string, plan: DatabasePlan): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, 'postgres') });
  await client.connect();
  const created: string[] = [];
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      'select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user',
    );
    const me = rows[0];
    if (!me?.rolsuper && !(me?.rolcreaterole && me?.rolcreatedb)) {
      throw new Error(
        `DATABASE_URL: its user (${new URL(adminUrl).username || 'default'}) may not create roles and databases; ` +
          'pnpm start needs the server’s admin there (the local superuser) to give each service its own role',
      );
    }
    const roles = [...plan.databases.map((database) => database.owner), ...plan.others];
    for (const role of new Map(roles.map((r) => [r.name, r])).values()) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role.name]);
      const attributes = `login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(role.password)}`;
      await client.query(
        exists.rowCount
          ? `alter role ${ident(role.name)} with ${attributes}`
          : `create role ${ident(role.name)} ${attributes}`,
      );
    }
    for (const { name, owner } of plan.databases) {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) {
        await client.query(`alter database ${ident(name)} owner to ${ident(owner.name)}`);
      } else {
        await client.query(`create database ${ident(name)} owner ${ident(owner.name)}`);
        created.push(name);
      }
    }
  } finally {
    await client.end();
  }
  for (const { name, owner } of plan.databases) await handOver(databaseUrl(adminUrl, name), owner.name);
  return created;
}

/**
 * Every object of the public schema not owned by `owner` becomes its (sequences that belong to a
 * column follow their table; what an extension installed stays the extension's).
 */
async function handOver(url: string, owner: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ statement: string }>(
      `select format('alter %s %I.%I owner to %I',
                     case c.relkind when 'S' then 'sequence' when 'v' then 'view'
                                    when 'm' then 'materialized view' else 'table' end,
                     n.nspname, c.relname, $1::text) as statement
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_get_userbyid(c.relowner) <> $1::text
          and not exists (select 1 from pg_depend d
                           where d.classid = 'pg_class'::regclass and d.objid = c.oid
                             and d.deptype in ('a', 'i', 'e'))
       union all
       select format('alter %s %I.%I(%s) owner to %I',
                     case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
                     n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), $1::text)
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $1::text
          and not exists (select 1 from pg_depend d
                           where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       union all
       select format('alter type %I.%I owner to %I', n.nspname, t.typname, $1::text)
         from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typtype in ('e', 'd') and pg_get_userbyid(t.typowner) <> $1::text
          and not exists (select 1 from pg_depend d
                           where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')`,
      [owner],
    );
    for (const { statement } of rows) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Applies Lapak's pending migrations as the owner (`ownerUrl`), then grants the app role its
 * access (grantAppRole); returns the migrations' names.
 */
export async function migrateLapak(ownerUrl: string, appRole: string): Promise<string[]> {
  const orm = await createOrm({ databaseUrl: ownerUrl, poolMax: 1 });
  try {
    const applied = await migrate(orm);
    await grantAppRole(orm, appRole);
    return applied;
  } finally {
    await orm.close();
  }
}
