import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger, Orm } from '@lapak/core';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Binds a request id (taken from `X-Request-Id` when well-formed), a child logger and one
 * EntityManager fork to the request, and logs one line when it ends. The logger and the fork
 * are made on first use: a checkout (its write is batched) and a probe need neither.
 */
export function requestContext(logger: Logger, orm: Orm): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = requestIdPattern.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    let log: Logger | undefined;
    let em: ReturnType<Orm['em']['fork']> | undefined;
    Object.defineProperties(ctx.state, {
      log: { get: () => (log ??= logger.child({ requestId })), enumerable: true },
      em: { get: () => (em ??= orm.em.fork()), enumerable: true },
    });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (logger.isLevelEnabled('debug'))
        ctx.state.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
