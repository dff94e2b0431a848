import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrations } from './migrations';

export type Orm = MikroORM;

export function ormOptions(options: { databaseUrl: string; poolMax: number }): Options {
  return {
    clientUrl: options.databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax },
    migrations: { migrationsList: migrations, snapshot: false, silent: true },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
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
