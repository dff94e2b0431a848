import { Queue } from 'bullmq';
import { queueNames } from '@lapak/contracts';
import {
  AuthRateLimiter,
  CheckoutRateLimiter,
  databaseCheckoutBatcher,
  type CheckoutBatcher,
  OrderStatusHub,
  orderStatusReader,
  TokenService,
  createProcessDeps,
  createRedis,
  type Config,
  type Logger,
  type ProcessDeps,
} from '@lapak/core';
import { createApiMetrics, type ApiMetrics } from './http/metrics';

/** Everything the API's routes need, built once per process from the config. */
export interface ApiDeps extends ProcessDeps {
  tokens: TokenService;
  metrics: ApiMetrics;
  queues: { orders: Queue };
  /** Login and register attempts per IP and per email, counted in Redis. */
  authRateLimiter: AuthRateLimiter;
  /** Lets concurrent checkouts of this process share one statement and one commit. */
  checkoutBatcher: CheckoutBatcher;
  /** Orders per shopper in each window, counted in Redis. */
  checkoutRateLimiter: CheckoutRateLimiter;
  /**
   * The process's one Redis subscription to order status changes, fanned out to SSE streams,
   * with the streams' caps and the one status read per heartbeat for all of them.
   */
  orderStatus: OrderStatusHub;
}

export async function createApiDeps(config: Config, logger?: Logger): Promise<ApiDeps> {
  const base = await createProcessDeps(config, { name: 'api', redisRole: 'producer', logger });
  const { logger: log, orm, redis } = base;
  const orders = new Queue(queueNames.orders, { connection: redis, prefix: config.REDIS_PREFIX });
  const orderStatus = new OrderStatusHub(
    createRedis(config.REDIS_URL, 'worker'),
    redis,
    config.REDIS_PREFIX,
    log,
    {
      perWatcher: config.SSE_MAX_STREAMS_PER_USER,
      perProcess: config.SSE_MAX_STREAMS_PER_PROCESS,
      lifetimeMs: config.SSE_MAX_LIFETIME_MS,
      recheckMs: config.SSE_HEARTBEAT_MS,
      read: orderStatusReader(() => orm.em.fork()),
    },
  );
  return {
    ...base,
    tokens: new TokenService(config.JWT_SECRET, config.JWT_TTL_SECONDS, config.ADMIN_API_TOKEN),
    metrics: createApiMetrics(),
    queues: { orders },
    orderStatus,
    checkoutBatcher: databaseCheckoutBatcher(orm, {
      maxBatch: config.CHECKOUT_BATCH_MAX,
      maxInFlight: config.CHECKOUT_BATCHES_IN_FLIGHT,
    }),
    checkoutRateLimiter: new CheckoutRateLimiter(
      redis,
      config.REDIS_PREFIX,
      {
        perUser: config.CHECKOUT_RATE_LIMIT_PER_USER,
        windowSeconds: config.CHECKOUT_RATE_LIMIT_WINDOW_SECONDS,
      },
      log,
    ),
    authRateLimiter: new AuthRateLimiter(
      redis,
      config.REDIS_PREFIX,
      {
        windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
        perIp: config.AUTH_RATE_LIMIT_PER_IP,
        perEmail: config.AUTH_RATE_LIMIT_PER_EMAIL,
      },
      log,
    ),
    async close() {
      await orderStatus.close();
      await orders.close();
      await base.close();
    },
  };
}
