import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';

/** A 429 with the seconds to wait, sent as `Retry-After` by the API's error middleware. */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfter: number,
    message = `Too many attempts; try again in ${retryAfter} s`,
  ) {
    super('rate_limited', message, { retryAfterSeconds: retryAfter });
  }
}

export interface AuthRateLimits {
  windowSeconds: number;
  /** Register attempts, and failed logins, per client within the window. */
  perIp: number;
  /** Register attempts per email, and failed logins per (email, client), within the window. */
  perEmail: number;
}

/**
 * Limits on guessing and on account creation, counted in Redis (shared by every API process):
 * - login: *failed* attempts, per (email, client) and per client. Ten wrong passwords from one
 *   place lock that place out, never the real owner logging in from elsewhere; a good login
 *   clears its (email, client) count.
 * - register: every attempt, per client and per email.
 * A client is its IPv4 address, or its IPv6 /64 (one household or host gets one /64, so a
 * client cannot dodge the limit by walking its own prefix). If Redis fails, an in-process
 * limiter with the same limits stands in, so a Redis outage neither blocks logins nor lifts
 * the limits.
 */
export class AuthRateLimiter {
  private readonly loginFailures: { byEmailAndClient: RateLimiterRedis; byClient: RateLimiterRedis };
  private readonly registers: { byClient: RateLimiterRedis; byEmail: RateLimiterRedis };

  constructor(
    redis: Redis,
    redisPrefix: string,
    limits: AuthRateLimits,
    private readonly log: Logger,
  ) {
    const make = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${redisPrefix}:rate:${name}`,
        points,
        duration: limits.windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
      });
    this.loginFailures = {
      byEmailAndClient: make('login-failed:email-client', limits.perEmail),
      byClient: make('login-failed:client', limits.perIp),
    };
    this.registers = {
      byClient: make('register:client', limits.perIp),
      byEmail: make('register:email', limits.perEmail),
    };
  }

  /** Before checking a password: throws RateLimitedError if this client failed too often. */
  async checkLogin(email: string, ip: string): Promise<void> {
    const client = clientKey(ip);
    await Promise.all([
      this.refuseIfSpent(this.loginFailures.byEmailAndClient, `${emailKey(email)}:${client}`),
      this.refuseIfSpent(this.loginFailures.byClient, client),
    ]);
  }

  /** Counts a failed login (wrong password or unknown email) from `ip`. */
  async loginFailed(email: string, ip: string): Promise<void> {
    const client = clientKey(ip);
    await Promise.all([
      this.count(this.loginFailures.byEmailAndClient, `${emailKey(email)}:${client}`),
      this.count(this.loginFailures.byClient, client),
    ]);
  }

  /** After a good login, this client's failures for the email no longer count. */
  async loginSucceeded(email: string, ip: string): Promise<void> {
    await this.loginFailures.byEmailAndClient
      .delete(`${emailKey(email)}:${clientKey(ip)}`)
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not reset a rate limit counter'));
  }

  /** Counts one register attempt from `ip` for `email`; throws RateLimitedError past a limit. */
  async consumeRegister(email: string, ip: string): Promise<void> {
    await this.consume(this.registers.byClient, clientKey(ip));
    await this.consume(this.registers.byEmail, emailKey(email));
  }

  private async refuseIfSpent(limiter: RateLimiterRedis, key: string): Promise<void> {
    let state: RateLimiterRes | null;
    try {
      state = await limiter.get(key);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read a rate limit counter');
      return;
    }
    if (state && state.consumedPoints >= limiter.points) {
      throw new RateLimitedError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  private async count(limiter: RateLimiterRedis, key: string): Promise<void> {
    await limiter.penalty(key, 1).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not count a failed login');
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

/**
 * The rate-limit bucket of a client address: an IPv4 address as it is (an IPv4-mapped IPv6
 * address too), an IPv6 address by its /64 prefix; anything unparsable as itself.
 */
export function clientKey(ip: string): string {
  if (!ip || !ipaddr.isValid(ip)) return ip || 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}
