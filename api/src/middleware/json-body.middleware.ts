import { bodyParser } from '@koa/bodyparser';
import { AppError } from '@lapak/core';
import type { ApiMiddleware } from '../http/api-state';

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies only (UTF-8), at most 1 MB. A body in another media type or charset is a 415; an empty body
 * on a write is left undefined for the route's schema to reject.
 */
export function jsonBody(): ApiMiddleware {
  const parser = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', encoding: 'utf-8' });
  return async (ctx, next) => {
    const hasBody = ctx.request.length ? ctx.request.length > 0 : Boolean(ctx.get('Transfer-Encoding'));
    if (methodsWithBody.has(ctx.method) && hasBody && !ctx.is('application/json', '+json')) {
      const type = ctx.request.type || 'a body without Content-Type';
      throw new AppError('unsupported_media_type', `The request body must be application/json, not ${type}`);
    }
    const charset = ctx.request.charset.toLowerCase();
    if (hasBody && charset && charset !== 'utf-8' && charset !== 'utf8') {
      throw new AppError('unsupported_media_type', `JSON bodies must be UTF-8, not ${charset}`);
    }
    await parser(ctx, next);
  };
}
