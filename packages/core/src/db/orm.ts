import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrations } from './migrations';
import { pgTypes } from './pg-types';

export type Orm = MikroORM;

export function ormOptions(options: { databaseUrl: string; poolMax: number }): Options {
  return {
    clientUrl: options.databaseUrl,
    entities: [...entities],
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax },
    driverOptions: { types: pgTypes() },
    migrations: { migrationsList: migrations, snapshot: false, silent: true },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // The entities describe tables (columns, keys, indexes, checks), which schema.int.test.ts
    // compares with the migrated database. Functions and triggers are SQL that migrations run
    // (functions from db/sql files, checked by sql-functions.int.test.ts): the diff leaves them be.
    schemaGenerator: { ignoreTriggers: true, ignoreRoutines: true },
  };
}

export async function createOrm(options: { databaseUrl: string; poolMax: number }): Promise<Orm> {
  return MikroORM.init(ormOptions(options));
}

/** Applies every pending migration; returns the names it applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
