import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../config/config';
import { OrderCancelService } from '../orders/order-cancel.service';
import { OrderQueryService } from '../orders/order-query.service';
import { OrderRepository } from '../orders/order.repository';
import { sampleShippingAddress } from '../testing/checkout-fields';
import { makeProduct, makeUser } from '../testing/factories';
import { withDatabase } from '../testing/test-database';
import { appRoleGrants, grantAppRole, roleAttributes } from './database-roles';
import { db } from './database';
import { newId } from './ids';
import { createOrm, migrate, type Orm } from './orm';

/**
 * The owner and app roles on a scratch database: the migrations run as the owner, the owner
 * grants the app role its access, and the app role can do the app's work (a checkout, a cancel)
 * but no DDL, is no superuser, and owns nothing.
 */
const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
const suffix = randomBytes(3).toString('hex');
const owner = `lapak_t_${suffix}_owner`;
const app = `lapak_t_${suffix}_app`;
const stranger = `lapak_t_${suffix}_other`;
const database = `lapak_t_${inject('testRunId')}_roles_${suffix}`;
const password = randomBytes(16).toString('hex');

/** The scratch database's URL as `role`. */
function urlAs(role: string): string {
  const url = new URL(withDatabase(base.DATABASE_URL, database));
  url.username = role;
  url.password = password;
  return url.toString();
}

async function asAdmin(statements: string[], on = 'postgres') {
  const client = new pg.Client({ connectionString: withDatabase(base.DATABASE_URL, on) });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs one statement as `role` on the scratch database; resolves to the error's message, if any. */
async function tryAs(role: string, statement: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  try {
    await client.connect();
    await client.query(statement);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let ownerOrm: Orm;
let appOrm: Orm;

beforeAll(async () => {
  const role = (name: string) =>
    `create role ${name} login nosuperuser nocreatedb nocreaterole noreplication password '${password}'`;
  await asAdmin([role(owner), role(app), role(stranger), `create database ${database} owner ${owner}`]);
  ownerOrm = await createOrm({ databaseUrl: urlAs(owner), poolMax: 2 });
  await migrate(ownerOrm);
  await grantAppRole(ownerOrm, app);
  appOrm = await createOrm({ databaseUrl: urlAs(app), poolMax: 2 });
});

afterAll(async () => {
  await appOrm?.close();
  await ownerOrm?.close();
  await asAdmin([
    `drop database if exists ${database} with (force)`,
    `drop role if exists ${app}`,
    `drop role if exists ${stranger}`,
    `drop role if exists ${owner}`,
  ]);
});

describe('the app role', () => {
  it('is no superuser, creates neither roles nor databases, and owns nothing', async () => {
    const kysely = db(appOrm.em.fork());
    expect(await roleAttributes(kysely, app)).toEqual({
      superuser: false,
      createRole: false,
      createDb: false,
    });
    const client = new pg.Client({ connectionString: urlAs(owner) });
    await client.connect();
    const { rows } = await client.query<{ owner: string; count: string }>(
      `select pg_get_userbyid(relowner) as owner, count(*) from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' group by 1`,
    );
    await client.end();
    expect(rows.map((row) => row.owner)).toEqual([owner]);
  });

  it.each([
    ['create a table', 'create table intruder (id int)'],
    ['create a temporary table', 'create temporary table intruder (id int)'],
    ['drop a table', 'drop table orders'],
    ['alter a table', 'alter table orders add column intruder int'],
    ['truncate a table', 'truncate outbox_events'],
    ['create an index', 'create index intruder on orders (created_at)'],
    [
      'replace a function',
      'create or replace function lapak_outbox_notify() returns trigger language plpgsql as $$ begin return null; end $$',
    ],
    ['drop a trigger', 'drop trigger outbox_events_inserted on outbox_events'],
    ['make itself a superuser', `alter role ${app} superuser`],
    ['act as the owner', `set role ${owner}`],
  ])('cannot %s', async (_what, statement) => {
    expect(await tryAs(app, statement)).toMatch(/permission denied|must be owner|must be superuser/);
  });

  it('can do the app’s work: a checkout through the SQL function, a read, a cancel', async () => {
    const em = appOrm.em.fork();
    const user = await makeUser(em);
    const product = await makeProduct(em, { stock: 5 });
    const id = newId();
    const [inserted] = await new OrderRepository(appOrm.em.fork()).insertCheckouts([
      {
        id,
        userId: user.id,
        lines: [{ productId: product.id, quantity: 2 }],
        shippingAddress: sampleShippingAddress,
        paymentMethod: 'bank_transfer',
        key: { userId: user.id, key: randomBytes(8).toString('hex'), requestHash: 'x'.repeat(64) },
      },
    ]);
    expect(inserted).toMatchObject({ status: 'created' });
    const principal = { userId: user.id, role: 'customer' as const };
    expect(await new OrderQueryService(appOrm.em.fork()).get(principal, id)).toMatchObject({ id });
    const cancelled = await new OrderCancelService(appOrm.em.fork(), async () => undefined).cancel(
      principal,
      id,
    );
    expect(cancelled.status).toBe('cancelled');
  });

  it('gets the same access to what a later migration creates', async () => {
    expect(await tryAs(owner, 'create table later_things (id int primary key)')).toBeNull();
    expect(await tryAs(app, 'insert into later_things values (1)')).toBeNull();
    expect(await tryAs(app, 'delete from later_things')).toBeNull();
    expect(await tryAs(app, 'drop table later_things')).toMatch(/must be owner/);
  });
});

describe('grantAppRole', () => {
  it('leaves every other role outside the database', async () => {
    expect(await tryAs(stranger, 'select 1')).toMatch(/permission denied for database/);
  });

  it('refuses a superuser as the app role, and a migration run as the app role', async () => {
    await expect(grantAppRole(ownerOrm, 'postgres')).rejects.toThrow(/superuser/);
    await expect(grantAppRole(ownerOrm, `${app}_missing`)).rejects.toThrow(/does not exist/);
    await expect(grantAppRole(appOrm, app)).rejects.toThrow(/runs as .* itself/);
  });

  it('grants rows, sequences, functions and a connection, and no other privilege', () => {
    const statements = appRoleGrants('lapak', 'lapak_app').map(
      (statement) => statement.compile(db(ownerOrm.em.fork())).sql,
    );
    const granted = statements
      .map((statement) => /\bgrant (.+?) on /.exec(statement)?.[1])
      .filter((privileges) => privileges !== undefined)
      .flatMap((privileges) => privileges.split(', '));
    expect(new Set(granted)).toEqual(
      new Set(['connect', 'usage', 'select', 'insert', 'update', 'delete', 'execute']),
    );
  });
});
