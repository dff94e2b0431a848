import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * `worker` connections block (BullMQ workers, subscribers) and retry forever;
 * `producer` connections fail fast so an HTTP request never hangs on a dead Redis.
 * Commands are written as they are issued: ioredis's auto-pipelining (one write per event-loop
 * turn) made the API's checkout slower at the tail (it holds each command until the loop's
 * check phase and builds a pipeline object per turn; measured with bench/checkout.bench.ts).
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new Redis(url, { lazyConnect: false, ...options });
}
