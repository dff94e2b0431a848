import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';

/** A 429 with the seconds to wait, sent as `Retry-After` by the API's error middleware. */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfter: number) {
    super('rate_limited', `Too many attempts; try again in ${retryAfter} s`, {
      retryAfterSeconds: retryAfter,
    });
  }
}

export type AuthAction = 'login' | 'register';

export interface AuthRateLimits {
  windowSeconds: number;
  perIp: number;
  perEmail: number;
}

/**
 * Attempts at login and register, counted in Redis per client IP and per email (each action
 * its own counters, shared by every API process). If Redis fails, an in-process limiter with
 * the same limits stands in, so a Redis outage neither blocks logins nor lifts the limits.
 */
export class AuthRateLimiter {
  private readonly limiters: Record<AuthAction, { ip: RateLimiterRedis; email: RateLimiterRedis }>;

  constructor(
    redis: Redis,
    redisPrefix: string,
    limits: AuthRateLimits,
    private readonly log: Logger,
  ) {
    const make = (action: AuthAction, by: 'ip' | 'email', points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${redisPrefix}:rate:${action}:${by}`,
        points,
        duration: limits.windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
      });
    this.limiters = {
      login: { ip: make('login', 'ip', limits.perIp), email: make('login', 'email', limits.perEmail) },
      register: {
        ip: make('register', 'ip', limits.perIp),
        email: make('register', 'email', limits.perEmail),
      },
    };
  }

  /** Counts one attempt from `ip`; throws RateLimitedError past the limit. */
  consumeIp(action: AuthAction, ip: string): Promise<void> {
    return this.consume(this.limiters[action].ip, ip || 'unknown');
  }

  /** Counts one attempt for `email`; throws RateLimitedError past the limit. */
  consumeEmail(action: AuthAction, email: string): Promise<void> {
    return this.consume(this.limiters[action].email, emailKey(email));
  }

  /** After a successful login the email's failed attempts no longer count. */
  async forgetEmail(action: AuthAction, email: string): Promise<void> {
    await this.limiters[action].email.delete(emailKey(email)).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not reset a rate limit counter');
    });
  }

  private async consume(limiter: RateLimiterRedis, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }
}

/** Counters are keyed by a hash: no email addresses in Redis. */
const emailKey = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('base64url');
