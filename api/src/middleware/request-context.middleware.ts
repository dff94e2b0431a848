import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger, Orm } from '@lapak/core';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Binds a request id (taken from `X-Request-Id` when well-formed), a child logger and one
 * EntityManager fork to the request, and logs one line when it ends.
 */
export function requestContext(logger: Logger, orm: Orm): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = requestIdPattern.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.state.em = orm.em.fork();
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
