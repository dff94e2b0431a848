/* global process */
import { DefaultJobQueuePlugin, DefaultLogger, LogLevel, dummyPaymentHandler } from '@vendure/core';

/**
 * Vendure as the `peers` benchmark runs it: PostgreSQL (a database of its own), the default
 * job queue in PostgreSQL with its own worker process, the dummy payment handler, guest
 * checkout with bearer session tokens. Everything comes from the environment the benchmark sets.
 */
export function vendureConfig() {
  const env = process.env;
  return {
    apiOptions: {
      port: Number(env.VENDURE_PORT ?? 3000),
      hostname: '127.0.0.1',
      adminApiPath: 'admin-api',
      shopApiPath: 'shop-api',
      adminApiPlayground: false,
      shopApiPlayground: false,
      adminApiDebug: false,
      shopApiDebug: false,
    },
    authOptions: {
      tokenMethod: ['bearer'],
      requireVerification: false,
      superadminCredentials: {
        identifier: 'superadmin',
        password: env.VENDURE_SUPERADMIN_PASSWORD ?? 'superadmin',
      },
      cookieOptions: { secret: env.VENDURE_COOKIE_SECRET ?? 'bench-only' },
    },
    dbConnectionOptions: {
      type: 'postgres',
      host: env.VENDURE_DB_HOST ?? '127.0.0.1',
      port: Number(env.VENDURE_DB_PORT ?? 5432),
      username: env.VENDURE_DB_USER ?? 'postgres',
      password: env.VENDURE_DB_PASSWORD ?? '',
      database: env.VENDURE_DB_NAME ?? 'bench_vendure',
      // The database is made for the run: the schema comes from the entities.
      synchronize: env.VENDURE_SYNCHRONIZE === '1',
      migrations: [],
      logging: false,
      extra: { max: Number(env.VENDURE_DB_POOL ?? 10) },
    },
    paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
    plugins: [DefaultJobQueuePlugin.init({})],
    logger: new DefaultLogger({ level: env.VENDURE_LOG_INFO === '1' ? LogLevel.Info : LogLevel.Warn }),
  };
}
