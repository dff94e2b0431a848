import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimitedError } from '../auth/auth-rate-limiter';
import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';

/**
 * Checkouts per shopper, counted in Redis (shared by every API process): each order a shopper
 * places counts, and past `perUser` in the window a new checkout is `429 rate_limited`. A retry
 * of a stored checkout (the same Idempotency-Key) is not a new order and never refused. If Redis
 * fails, an in-process limiter with the same limit stands in.
 */
export class CheckoutRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    redisPrefix: string,
    limits: { perUser: number; windowSeconds: number },
    private readonly log: Logger,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${redisPrefix}:rate:checkout:user`,
      points: limits.perUser,
      duration: limits.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points: limits.perUser, duration: limits.windowSeconds }),
    });
  }

  /** Throws RateLimitedError if the shopper has placed `perUser` orders in the window. */
  async check(userId: string): Promise<void> {
    const state = await this.limiter.get(userId).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not read the checkout rate limit');
      return null;
    });
    if (state && state.consumedPoints >= this.limiter.points) {
      const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
      throw new RateLimitedError(retryAfter, `Too many orders in a short time; try again in ${retryAfter} s`);
    }
  }

  /** Counts an order the shopper placed. */
  async placed(userId: string): Promise<void> {
    await this.limiter.penalty(userId, 1).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not count a checkout');
    });
  }
}
