import { sql } from 'kysely';
import { db as typedDb, type Db } from './database';
import type { Orm } from './orm';

/**
 * The PostgreSQL roles of a Lapak deployment, one per service, none a superuser: the same names
 * in docker compose (deploy/compose/postgres-init.sql), Kubernetes and `pnpm start`.
 */
export const databaseRoles = {
  /** Owns Lapak's database and schema; runs the migrations. */
  owner: 'lapak_owner',
  /** The API and the worker: rows, sequences and functions (`appRoleGrants`), no DDL. */
  app: 'lapak_app',
  /** Owns Directus's database. */
  directus: 'lapak_directus',
  /** Owns n8n's database (compose and Kubernetes; `pnpm start` runs n8n on SQLite). */
  n8n: 'lapak_n8n',
  /** postgres_exporter: `pg_monitor`'s statistics, no table's rows. */
  exporter: 'lapak_exporter',
} as const;

/**
 * Least privilege in Lapak's database, one role per job:
 *
 * - the **owner** (`lapak_owner` in the shipped deployments) owns the database, its schema and
 *   every table, sequence and function in it, and runs the migrations;
 * - the **app** role (`lapak_app`), which the API and the worker connect as, may read and write
 *   rows (SELECT, INSERT, UPDATE, DELETE), use the sequences and call the functions, and nothing
 *   else: it cannot create, alter, drop or truncate anything, owns nothing, and is no superuser.
 *
 * The app role gets grants, not ownership: whoever owns a table may alter or drop it, so a role
 * that owns the tables can change the schema. The grants below are made by the owner after each
 * migration, on what exists and (as default privileges) on what later migrations create.
 */
export function appRoleGrants(database: string, appRole: string) {
  const app = sql.id(appRole);
  const db = sql.id(database);
  return [
    // Nobody else connects (PostgreSQL lets every role connect by default), nor creates in public.
    sql`revoke all on database ${db} from public`,
    sql`grant connect on database ${db} to ${app}`,
    sql`revoke create on schema public from public`,
    sql`grant usage on schema public to ${app}`,
    sql`grant select, insert, update, delete on all tables in schema public to ${app}`,
    sql`grant usage, select on all sequences in schema public to ${app}`,
    sql`grant execute on all functions in schema public to ${app}`,
    // What the owner creates later (the next migration) comes with the same grants.
    sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${app}`,
    sql`alter default privileges in schema public grant usage, select on sequences to ${app}`,
    sql`alter default privileges in schema public grant execute on functions to ${app}`,
  ];
}

/** A role's attributes that matter for least privilege. */
export interface RoleAttributes {
  superuser: boolean;
  createRole: boolean;
  createDb: boolean;
}

export async function roleAttributes(db: Db, role: string): Promise<RoleAttributes | null> {
  const { rows } = await sql<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>`
    select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = ${role}
  `.execute(db);
  const row = rows[0];
  return row ? { superuser: row.rolsuper, createRole: row.rolcreaterole, createDb: row.rolcreatedb } : null;
}

/**
 * Run by the migration as the owner, after migrating: grants `appRole` the app's access
 * (`appRoleGrants`). Refuses an app role that does not exist, or that may do anything anyway
 * (a superuser, or one that can create roles), since then the grants would protect nothing.
 */
export async function grantAppRole(orm: Orm, appRole: string): Promise<void> {
  const db = typedDb(orm.em.fork());
  const attributes = await roleAttributes(db, appRole);
  if (!attributes) throw new Error(`DATABASE_APP_ROLE: role ${appRole} does not exist`);
  if (attributes.superuser || attributes.createRole) {
    throw new Error(
      `DATABASE_APP_ROLE: role ${appRole} is a superuser or may create roles; the API and worker need a plain role`,
    );
  }
  const { rows } = await sql<{ database: string; user: string }>`
    select current_database() as database, current_user as user
  `.execute(db);
  const { database, user } = rows[0]!;
  if (user === appRole)
    throw new Error(`DATABASE_APP_ROLE: the migration runs as ${appRole} itself, not as the owner`);
  await orm.em.fork().transactional(async (em) => {
    const tx = em.getKysely();
    for (const statement of appRoleGrants(database, appRole)) await statement.execute(tx);
  });
}
