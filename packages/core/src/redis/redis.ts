import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * `worker` connections block (BullMQ workers, subscribers) and retry forever;
 * `producer` connections fail fast so an HTTP request never hangs on a dead Redis.
 * `enableAutoPipelining` sends the commands issued in one event-loop turn in one write (the
 * API's busy producer connection uses it).
 */
export function createRedis(
  url: string,
  role: 'producer' | 'worker',
  extra: Pick<RedisOptions, 'enableAutoPipelining'> = {},
): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new Redis(url, { lazyConnect: false, ...options, ...extra });
}
