import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { directusCli, type CmsInstall } from '../../scripts/cms';
import { databaseUrl, query } from '../../scripts/start/database';
import { directusQueryLimitMax } from '../../directus/src/fields';
import { runChild } from './child-process';
import { ServiceProcess } from './service-process';

export interface TestDirectus {
  url: string;
  /** The environment it runs with. */
  env: NodeJS.ProcessEnv;
  /** Its own database's URL. */
  databaseUrl: string;
  process: ServiceProcess;
  /** Creates its database afresh, bootstraps it (an admin with `adminToken`) and starts Directus. */
  start(): Promise<void>;
  /** Stops Directus and drops its database. */
  close(): Promise<void>;
}

/**
 * The pinned Directus as the tests run it, on 127.0.0.1:`port`: a database `database` of its own
 * on the server `serverUrl` points at, its uploads and extensions in `work`, data cache, rate
 * and pressure limiters, websockets and telemetry off; `env` adds to or replaces those settings.
 */
export async function testDirectus(options: {
  install: CmsInstall;
  work: string;
  serverUrl: string;
  database: string;
  port: number;
  adminToken: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<TestDirectus> {
  const { install, work, serverUrl, database } = options;
  const url = `http://127.0.0.1:${options.port}`;
  const ownUrl = databaseUrl(serverUrl, database);
  const onServer = (sql: string) => query(databaseUrl(serverUrl, 'postgres'), sql);
  // Directus reads a .env in its working folder over the environment: point it at an empty file.
  await writeFile(join(work, 'directus.env'), '');
  await mkdir(join(work, 'uploads'));
  await mkdir(join(work, 'extensions'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CONFIG_PATH: join(work, 'directus.env'),
    DB_CLIENT: 'pg',
    DB_CONNECTION_STRING: ownUrl,
    SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@lapak.example.com',
    ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    ADMIN_TOKEN: options.adminToken,
    HOST: '127.0.0.1',
    PORT: String(options.port),
    PUBLIC_URL: url,
    CACHE_ENABLED: 'false',
    RATE_LIMITER_ENABLED: 'false',
    // No 503 "under pressure" when the event loop lags on a busy test machine.
    PRESSURE_LIMITER_ENABLED: 'false',
    WEBSOCKETS_ENABLED: 'false',
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    QUERY_LIMIT_MAX: String(directusQueryLimitMax),
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_ROOT: join(work, 'uploads'),
    EXTENSIONS_PATH: join(work, 'extensions'),
    ...options.env,
  };
  const directus = new ServiceProcess('directus', install.node22, [directusCli(install), 'start'], {
    env,
    cwd: work,
    logFile: options.logFile,
    ready: async () => (await fetch(`${url}/server/ping`)).ok,
    readyTimeoutMs: 90_000,
  });
  return {
    url,
    env,
    databaseUrl: ownUrl,
    process: directus,
    async start() {
      await onServer(`drop database if exists "${database}" with (force)`);
      await onServer(`create database "${database}"`);
      await runChild('directus bootstrap', install.node22, [directusCli(install), 'bootstrap'], {
        env,
        cwd: work,
      });
      await directus.start();
    },
    async close() {
      await directus.close();
      await onServer(`drop database if exists "${database}" with (force)`).catch(() => undefined);
    },
  };
}
