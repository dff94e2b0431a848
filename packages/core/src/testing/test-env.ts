import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../config/config';
import { db, type Db } from '../db/database';
import { createOrm, type Orm } from '../db/orm';
import { cloneDatabase, dropDatabases } from './test-database';

export interface TestEnv {
  /** Config pointing at this file's own database and Redis prefix. */
  readonly config: Config;
  /** An ORM on this file's database, closed after the file. */
  readonly orm: Orm;
  /** A Kysely on a fresh fork of the ORM's EntityManager, for a test's own queries. */
  db(): Db;
  /** A unique name for a queue or key in this file (each test its own). */
  unique(name: string): string;
}

/**
 * Gives the calling test file its own copy of the migrated template database and its own
 * Redis prefix; both are removed after the file.
 */
export function useTestEnv(overrides: Record<string, string> = {}): TestEnv {
  const runId = inject('testRunId');
  const template = inject('templateDatabase');
  const fileId = randomBytes(4).toString('hex');
  let config: Config | undefined;
  let orm: Orm | undefined;
  let counter = 0;

  beforeAll(async () => {
    const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
    const databaseUrl = await cloneDatabase(base.DATABASE_URL, template, `lapak_t_${runId}_${fileId}`);
    config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '5',
      REDIS_PREFIX: `lapak-t-${runId}-${fileId}`,
      ...overrides,
    });
    orm = await createOrm({ databaseUrl, poolMax: 5 });
  });

  afterAll(async () => {
    await orm?.close();
    if (config) await dropDatabases(config.DATABASE_URL, `lapak_t_${runId}_${fileId}`);
  });

  return {
    get config() {
      if (!config) throw new Error('useTestEnv: config is ready only inside tests and hooks');
      return config;
    },
    get orm() {
      if (!orm) throw new Error('useTestEnv: orm is ready only inside tests and hooks');
      return orm;
    },
    db() {
      if (!orm) throw new Error('useTestEnv: db is ready only inside tests and hooks');
      return db(orm.em.fork());
    },
    unique: (name) => `${name}-${++counter}-${randomBytes(3).toString('hex')}`,
  };
}
