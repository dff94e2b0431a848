import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * `worker` connections block (BullMQ workers, subscribers) and retry forever;
 * `producer` connections fail fast so an HTTP request never hangs on a dead Redis.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new Redis(url, { lazyConnect: false, ...options });
}
