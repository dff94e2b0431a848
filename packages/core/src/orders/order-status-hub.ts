import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RateLimitedError } from '../auth/auth-rate-limiter';
import { db } from '../db/database';
import type { Logger } from '../logging/logger';
import type { Redis } from '../redis/redis';
import { orderStatusChannel, type OrderStatusEvent } from './order-status-events';

export type OrderStatusListener = (event: OrderStatusEvent) => void;

/** The current statuses of the given orders, in one read (ids that do not exist are left out). */
export type ReadOrderStatuses = (orderIds: string[]) => Promise<OrderStatusEvent[]>;

/** Most ids in one status read; more watched orders take one read per this many. */
const readChunk = 1000;

/** `readOrderStatuses` on a fresh fork of `em` for each read (one indexed `id = any(…)` query). */
export function orderStatusReader(forkEm: () => EntityManager): ReadOrderStatuses {
  return async (orderIds) => {
    const rows = await db(forkEm())
      .selectFrom('orders')
      .select(['id', 'user_id', 'status', 'failure_reason', 'updated_at'])
      .where('id', 'in', orderIds)
      .execute();
    return rows.map((row) => ({
      orderId: row.id,
      userId: row.user_id,
      status: row.status,
      failureReason: row.failure_reason ?? null,
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  };
}

export interface OrderStatusHubOptions {
  /** Open streams of one watcher (a user) across every API process; past it `429`. */
  perWatcher: number;
  /** Open streams in this process; past it `429`. */
  perProcess: number;
  /** A stream's longest life; a watcher's slot in Redis lapses after it even if the process died. */
  lifetimeMs: number;
  /** How often every watched order's status is read again (one read for all of them). */
  recheckMs: number;
  /** Reads the statuses of the watched orders (`orderStatusReader`). */
  read: ReadOrderStatuses;
}

/** Seconds a client refused by the process cap is asked to wait: another replica may have room. */
const processFullRetrySeconds = 5;

/**
 * Claims one of a watcher's stream slots, counted in a sorted set (member: the stream's id,
 * score: when its slot lapses). Lapsed slots (streams of a process that died) are dropped first.
 * Returns 1 when claimed, or 0 and the earliest lapse time when the watcher has no slot left.
 */
const claimSlot = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, first[2]}
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return {1, '0'}
`;

/** What `open` gives a stream: stop watching (and free its slot) when it ends. */
export interface OrderStatusWatch {
  close(): void;
}

/**
 * One Redis subscription per process on the deployment's order-status channel, fanned out in
 * process to whoever watches an order (the SSE streams), and the bounds on those streams:
 *
 * - at most `perWatcher` open streams per user across all API processes (a sorted set in Redis,
 *   each slot lapsing after the stream's lifetime, so a crashed process leaks none for long) and
 *   `perProcess` in this process; past either, `open` throws `RateLimitedError` (429);
 * - one status read per `recheckMs` for every order watched in this process together (in case a
 *   message was lost while Redis reconnected), not one per stream: streams keep only their
 *   heartbeat comment, and ignore a status they already sent.
 *
 * The subscription is made on first use and kept; ioredis re-subscribes by itself after a reconnect.
 */
export class OrderStatusHub {
  private readonly listeners = new Map<string, Set<OrderStatusListener>>();
  private subscribed: Promise<void> | null = null;
  private readonly channel: string;
  private readonly slotPrefix: string;
  private openCount = 0;
  private recheckTimer: NodeJS.Timeout | null = null;
  private rechecking = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly redis: Redis,
    redisPrefix: string,
    private readonly log: Logger,
    private readonly options: OrderStatusHubOptions,
  ) {
    this.channel = orderStatusChannel(redisPrefix);
    this.slotPrefix = `${redisPrefix}:sse:watcher:`;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = this.parse(message);
      if (event) this.dispatch(event);
    });
  }

  /**
   * Opens a stream's watch of `orderId` for `watcher`: `listener` gets every status change (and
   * every re-read status) until `close()`. Throws `RateLimitedError` past the watcher's or the
   * process's cap. Resolves only once Redis has confirmed the subscription, so a caller that
   * reads the current status afterwards cannot miss a change made in between.
   */
  async open(watcher: string, orderId: string, listener: OrderStatusListener): Promise<OrderStatusWatch> {
    if (this.openCount >= this.options.perProcess) {
      throw new RateLimitedError(
        processFullRetrySeconds,
        `This server follows too many orders right now; try again in ${processFullRetrySeconds} s`,
      );
    }
    this.openCount++;
    let release = () => {
      this.openCount--;
    };
    try {
      const slot = await this.claimSlot(watcher);
      const previous = release;
      release = () => {
        previous();
        slot();
      };
      await this.subscribe();
    } catch (error) {
      release();
      throw error;
    }
    let set = this.listeners.get(orderId);
    if (!set) this.listeners.set(orderId, (set = new Set()));
    set.add(listener);
    this.startRecheck();
    let closed = false;
    return {
      close: () => {
        if (closed) return;
        closed = true;
        const current = this.listeners.get(orderId);
        current?.delete(listener);
        if (current?.size === 0) this.listeners.delete(orderId);
        if (this.listeners.size === 0) this.stopRecheck();
        release();
      },
    };
  }

  /** Orders watched right now in this process (for tests and metrics). */
  get watchedOrders(): number {
    return this.listeners.size;
  }

  /** A stream's longest life (ms): past it the stream ends, and its client connects again. */
  get lifetimeMs(): number {
    return this.options.lifetimeMs;
  }

  /** Streams open right now in this process. */
  get openStreams(): number {
    return this.openCount;
  }

  /** Reads every watched order's status once and hands each to its listeners. */
  async recheck(): Promise<void> {
    if (this.rechecking || this.listeners.size === 0) return;
    this.rechecking = true;
    try {
      const ids = [...this.listeners.keys()];
      for (let at = 0; at < ids.length; at += readChunk) {
        const events = await this.options.read(ids.slice(at, at + readChunk));
        for (const event of events) this.dispatch(event);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'order statuses could not be read again; the next heartbeat retries');
    } finally {
      this.rechecking = false;
    }
  }

  async close(): Promise<void> {
    this.stopRecheck();
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  /**
   * Claims a slot in the watcher's set; returns what frees it. If Redis cannot be reached the
   * stream goes ahead (the process cap still holds) rather than failing the order page.
   */
  private async claimSlot(watcher: string): Promise<() => void> {
    const key = `${this.slotPrefix}${watcher}`;
    const id = randomUUID();
    const now = Date.now();
    let result: [number, string];
    try {
      result = (await this.redis.eval(
        claimSlot,
        1,
        key,
        String(now),
        String(now + this.options.lifetimeMs),
        id,
        String(this.options.perWatcher),
      )) as [number, string];
    } catch (error) {
      this.log.warn({ err: error }, 'order status stream slots could not be counted; stream allowed');
      return () => undefined;
    }
    if (result[0] !== 1) {
      const retryAfter = Math.max(1, Math.ceil((Number(result[1]) - now) / 1000));
      throw new RateLimitedError(
        retryAfter,
        `Too many order status streams open for you (at most ${this.options.perWatcher}); close one or try again in ${retryAfter} s`,
      );
    }
    return () => {
      this.redis.zrem(key, id).catch((error: unknown) => {
        this.log.warn({ err: error }, 'order status stream slot not freed; it lapses with the stream');
      });
    };
  }

  private startRecheck(): void {
    if (this.recheckTimer) return;
    this.recheckTimer = setInterval(() => void this.recheck(), this.options.recheckMs);
    this.recheckTimer.unref();
  }

  private stopRecheck(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = null;
  }

  private subscribe(): Promise<void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: unknown) => {
        this.subscribed = null;
        throw error;
      },
    );
    return this.subscribed;
  }

  private parse(message: string): OrderStatusEvent | null {
    try {
      const event = JSON.parse(message) as OrderStatusEvent;
      return typeof event?.orderId === 'string' ? event : null;
    } catch {
      this.log.warn({ channel: this.channel }, 'order status message is not JSON; ignored');
      return null;
    }
  }

  private dispatch(event: OrderStatusEvent): void {
    const set = this.listeners.get(event.orderId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn({ err: error, orderId: event.orderId }, 'order status listener failed');
      }
    }
  }
}
