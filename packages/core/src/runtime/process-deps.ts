import type { Config } from '../config/config';
import { createOrm, type Orm } from '../db/orm';
import { createLogger, type Logger } from '../logging/logger';
import { createRedis, type Redis } from '../redis/redis';

/** What every Lapak process (API, worker) is built on: its config, logger, ORM and Redis. */
export interface ProcessDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * Connects the ORM and one Redis connection (`redisRole` as createRedis takes it) from the config;
 * the logger is `logger` if given, else a new one named `name`. `close` disconnects Redis, then
 * the ORM: a process closes what uses them (queues, subscriptions) first.
 */
export async function createProcessDeps(
  config: Config,
  options: { name: string; redisRole: 'producer' | 'worker'; logger?: Logger },
): Promise<ProcessDeps> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: options.name });
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX });
  const redis = createRedis(config.REDIS_URL, options.redisRole);
  return {
    config,
    logger,
    orm,
    redis,
    async close() {
      redis.disconnect();
      await orm.close();
    },
  };
}
