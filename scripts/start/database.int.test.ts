import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@lapak/core';
import {
  databaseUrl,
  ensureRolesAndDatabases,
  migrateLapak,
  query,
  roleUrl,
  type DatabasePlan,
} from './database';

/**
 * What `pnpm start` does to the local PostgreSQL before anything connects: a role per service,
 * none a superuser, each database owned by its role (a database from before roles handed over),
 * then the migrations as the owner and the app role's grants.
 */
const admin = loadConfig({ ...process.env, NODE_ENV: 'test' }).DATABASE_URL;
const suffix = randomBytes(3).toString('hex');
const role = (name: string) => ({
  name: `lapak_t_${suffix}_${name}`,
  password: randomBytes(16).toString('hex'),
});
const roles = { owner: role('owner'), app: role('app'), directus: role('directus') };
const lapak = `lapak_t_run_${suffix}`;
const directus = `${lapak}_directus`;
const plan: DatabasePlan = {
  databases: [
    { name: lapak, owner: roles.owner },
    { name: directus, owner: roles.directus },
  ],
  others: [roles.app],
};

afterAll(async () => {
  for (const name of [lapak, directus]) {
    await query(databaseUrl(admin, 'postgres'), `drop database if exists "${name}" with (force)`);
  }
  for (const { name } of Object.values(roles))
    await query(databaseUrl(admin, 'postgres'), `drop role if exists "${name}"`);
});

describe('ensureRolesAndDatabases', () => {
  it('makes plain roles and owned databases, hands over a database from before, and is idempotent', async () => {
    // As an earlier run left it: Lapak's database made by the admin, with objects the admin owns,
    // and a role of the same name that somebody made a superuser.
    await query(databaseUrl(admin, 'postgres'), `create database "${lapak}"`);
    await query(
      databaseUrl(admin, lapak),
      `create type mood as enum ('happy', 'sad');
       create table things (id serial primary key, feeling mood);
       create view happy_things as select * from things where feeling = 'happy';
       create function count_things() returns bigint language sql as 'select count(*) from things';
       create extension if not exists pg_trgm;`,
    );
    await query(databaseUrl(admin, 'postgres'), `create role "${roles.app.name}" superuser`);

    expect(await ensureRolesAndDatabases(admin, plan)).toEqual([directus]);

    const attributes = await query<{
      rolname: string;
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      rolcanlogin: boolean;
    }>(
      databaseUrl(admin, 'postgres'),
      'select rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin from pg_roles where rolname = any($1) order by rolname',
      [Object.values(roles).map((r) => r.name)],
    );
    expect(attributes).toHaveLength(3);
    for (const row of attributes) {
      expect(row, row.rolname).toMatchObject({
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolcanlogin: true,
      });
    }
    const owners = await query<{ datname: string; owner: string }>(
      databaseUrl(admin, 'postgres'),
      'select datname, pg_get_userbyid(datdba) as owner from pg_database where datname = any($1) order by datname',
      [[lapak, directus]],
    );
    expect(owners).toEqual([
      { datname: lapak, owner: roles.owner.name },
      { datname: directus, owner: roles.directus.name },
    ]);
    const objects = await query<{ kind: string; name: string; owner: string }>(
      databaseUrl(admin, lapak),
      `select 'class' as kind, relname as name, pg_get_userbyid(relowner) as owner from pg_class
        where relnamespace = 'public'::regnamespace and relkind in ('r', 'v', 'S')
       union all select 'function', proname, pg_get_userbyid(proowner) from pg_proc
        where pronamespace = 'public'::regnamespace and proname = 'count_things'
       union all select 'type', typname, pg_get_userbyid(typowner) from pg_type
        where typnamespace = 'public'::regnamespace and typname = 'mood'
       order by 1, 2`,
    );
    expect(objects.map((o) => o.name)).toEqual([
      'happy_things',
      'things',
      'things_id_seq',
      'count_things',
      'mood',
    ]);
    for (const object of objects) expect(object.owner, object.name).toBe(roles.owner.name);

    // Each role logs in with its password (pg_hba may ask for it) and reaches its database.
    expect(await query(roleUrl(admin, roles.directus, directus), 'select 1 as one')).toEqual([{ one: 1 }]);

    expect(await ensureRolesAndDatabases(admin, plan)).toEqual([]);
  });

  it('then migrates as the owner and leaves the app role no DDL', async () => {
    const applied = await migrateLapak(roleUrl(admin, roles.owner, lapak), roles.app.name);
    expect(applied.length).toBeGreaterThan(5);
    const appUrl = roleUrl(admin, roles.app, lapak);
    expect(await query(appUrl, 'select count(*)::int as n from orders')).toEqual([{ n: 0 }]);
    await expect(query(appUrl, 'create table intruder (id int)')).rejects.toThrow(/permission denied/);
    await expect(query(appUrl, 'drop table orders')).rejects.toThrow(/must be owner/);
    // A second start finds nothing to migrate and grants again without harm.
    expect(await migrateLapak(roleUrl(admin, roles.owner, lapak), roles.app.name)).toEqual([]);
  });

  it('says what is wrong when DATABASE_URL’s user cannot make roles', async () => {
    await expect(ensureRolesAndDatabases(roleUrl(admin, roles.app, lapak), plan)).rejects.toThrow(
      /DATABASE_URL: its user \(lapak_t_\w+_app\) may not create roles and databases/,
    );
  });
});
