import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, databaseRoles, grantAppRole, loadConfig, migrate } from '@lapak/core';
import { query } from '../../scripts/start/database';

/**
 * deploy/compose/postgres-init.sql run by psql as the postgres image runs it on a new volume,
 * against the local server: roles and databases get names of this test's own (the server is
 * shared), everything else is the file as it is. Then the migration as the owner, and what each
 * role may and may not do.
 */
const admin = new URL(loadConfig({ ...process.env, NODE_ENV: 'test' }).DATABASE_URL);
const suffix = randomBytes(3).toString('hex');
const local = (name: string) => `lapak_t_${suffix}_${name}`;
const roleNames = Object.values(databaseRoles);
const databases = ['lapak', 'directus', 'n8n'];
const passwords = {
  LAPAK_OWNER_DB_PASSWORD: randomBytes(16).toString('hex'),
  LAPAK_APP_DB_PASSWORD: randomBytes(16).toString('hex'),
  DIRECTUS_DB_PASSWORD: randomBytes(16).toString('hex'),
  N8N_DB_PASSWORD: randomBytes(16).toString('hex'),
  POSTGRES_EXPORTER_PASSWORD: randomBytes(16).toString('hex'),
};

/** The init script with this test's names for its roles and databases. */
function localScript(): string {
  let text = readFileSync(join(import.meta.dirname, 'postgres-init.sql'), 'utf8');
  for (const name of [...roleNames, ...databases]) {
    text = text.replace(new RegExp(`\\b${name}\\b(?!_password)`, 'g'), local(name));
  }
  return text;
}

function url(role: string, database: string, password?: string): string {
  const target = new URL(admin);
  target.username = role;
  target.password = password ?? '';
  target.pathname = `/${database}`;
  return target.toString();
}

const as = {
  owner: (db = 'lapak') => url(local(databaseRoles.owner), local(db), passwords.LAPAK_OWNER_DB_PASSWORD),
  app: (db = 'lapak') => url(local(databaseRoles.app), local(db), passwords.LAPAK_APP_DB_PASSWORD),
  directus: (db = 'directus') =>
    url(local(databaseRoles.directus), local(db), passwords.DIRECTUS_DB_PASSWORD),
  n8n: (db = 'n8n') => url(local(databaseRoles.n8n), local(db), passwords.N8N_DB_PASSWORD),
  exporter: (db = 'lapak') =>
    url(local(databaseRoles.exporter), local(db), passwords.POSTGRES_EXPORTER_PASSWORD),
};

const fails = (connection: string, text: string) =>
  query(connection, text).then(
    () => null,
    (error: Error) => error.message,
  );

const adminUrl = (database: string) => {
  const target = new URL(admin);
  target.pathname = `/${database}`;
  return target.toString();
};

beforeAll(async () => {
  // As the image's entrypoint: psql as the superuser, the passwords in the environment.
  execFileSync('psql', ['--no-psqlrc', '-q', '-d', adminUrl('postgres'), '-f', '-'], {
    input: localScript(),
    env: { ...process.env, ...passwords },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const orm = await createOrm({ databaseUrl: as.owner(), poolMax: 1 });
  try {
    await migrate(orm);
    await grantAppRole(orm, local(databaseRoles.app));
  } finally {
    await orm.close();
  }
});

afterAll(async () => {
  for (const database of databases)
    await query(adminUrl('postgres'), `drop database if exists ${local(database)} with (force)`);
  for (const role of roleNames) await query(adminUrl('postgres'), `drop role if exists ${local(role)}`);
});

describe('deploy/compose/postgres-init.sql', () => {
  it('makes a login role per service, none a superuser, and gives each database to its role', async () => {
    const roles = await query(
      adminUrl('postgres'),
      `select rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls,
              pg_has_role(oid, 'pg_monitor', 'member') as monitor
         from pg_roles where rolname like 'lapak_t_${suffix}_%' order by rolname`,
    );
    expect(roles.map((role) => role.rolname)).toEqual(roleNames.map(local).sort());
    for (const role of roles) {
      expect(role, role.rolname).toMatchObject({
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolcanlogin: true,
        rolbypassrls: false,
        monitor: role.rolname === local(databaseRoles.exporter),
      });
    }
    const owners = await query(
      adminUrl('postgres'),
      `select datname, pg_get_userbyid(datdba) as owner from pg_database
        where datname like 'lapak_t_${suffix}_%' order by datname`,
    );
    expect(owners).toEqual(
      [
        { datname: local('directus'), owner: local(databaseRoles.directus) },
        { datname: local('lapak'), owner: local(databaseRoles.owner) },
        { datname: local('n8n'), owner: local(databaseRoles.n8n) },
      ].sort((a, b) => a.datname.localeCompare(b.datname)),
    );
  });

  it('lets each role into its own database only', async () => {
    expect(await fails(as.app(), 'select 1')).toBeNull();
    expect(await fails(as.exporter(), 'select 1')).toBeNull();
    expect(await fails(as.directus(), 'select 1')).toBeNull();
    expect(await fails(as.n8n(), 'select 1')).toBeNull();
    expect(await fails(as.directus('lapak'), 'select 1')).toMatch(/permission denied for database/);
    expect(await fails(as.n8n('lapak'), 'select 1')).toMatch(/permission denied for database/);
    expect(await fails(as.app('directus'), 'select 1')).toMatch(/permission denied for database/);
    expect(await fails(as.app('n8n'), 'select 1')).toMatch(/permission denied for database/);
    expect(await fails(as.n8n('directus'), 'select 1')).toMatch(/permission denied for database/);
  });

  it('lets Directus and n8n build their own schema in their database', async () => {
    expect(await fails(as.directus(), 'create table directus_things (id int)')).toBeNull();
    expect(await fails(as.n8n(), 'create table n8n_things (id int)')).toBeNull();
  });

  it('gives the app role rows after the owner’s migration, and no DDL', async () => {
    expect(await query(as.app(), 'select count(*)::int as n from orders')).toEqual([{ n: 0 }]);
    expect(await fails(as.app(), 'create table intruder (id int)')).toMatch(/permission denied/);
    expect(await fails(as.app(), 'alter table orders add column intruder int')).toMatch(/must be owner/);
  });

  it('shows the exporter statistics, not rows', async () => {
    const stats = await query(as.exporter(), 'select count(*)::int as n from pg_stat_activity');
    expect(stats[0]!.n).toBeGreaterThan(0);
    expect(await fails(as.exporter(), 'select * from orders limit 1')).toMatch(/permission denied/);
    expect(await fails(as.exporter(), 'create table intruder (id int)')).toMatch(/permission denied/);
  });
});
