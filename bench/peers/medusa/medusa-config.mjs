/* global process */
import { defineConfig } from '@medusajs/framework/utils';

/**
 * Medusa as the `peers` benchmark runs it: PostgreSQL (a database of its own) and, as Medusa's
 * production setup has it, Redis for the event bus, the workflow engine, locking and the cache,
 * on a Redis database of its own (MEDUSA_REDIS_URL). One process in the default `shared` worker
 * mode (server and worker together); no admin dashboard. Loaded through the `medusa-config.js`
 * the benchmark writes beside it.
 */
const redisUrl = process.env.MEDUSA_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

export default defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_medusa',
    databaseDriverOptions: { ssl: false, pool: { max: Number(process.env.MEDUSA_DB_POOL ?? 10) } },
    redisUrl,
    workerMode: 'shared',
    http: {
      storeCors: 'http://localhost',
      adminCors: 'http://localhost',
      authCors: 'http://localhost',
      jwtSecret: process.env.JWT_SECRET ?? 'bench-only',
      cookieSecret: process.env.COOKIE_SECRET ?? 'bench-only',
    },
  },
  admin: { disable: true },
  modules: [
    { resolve: '@medusajs/medusa/cache-redis', options: { redisUrl } },
    { resolve: '@medusajs/medusa/event-bus-redis', options: { redisUrl } },
    { resolve: '@medusajs/medusa/workflow-engine-redis', options: { redis: { redisUrl } } },
    {
      resolve: '@medusajs/medusa/locking',
      options: {
        providers: [
          {
            resolve: '@medusajs/medusa/locking-redis',
            id: 'locking-redis',
            is_default: true,
            options: { redisUrl },
          },
        ],
      },
    },
  ],
});
