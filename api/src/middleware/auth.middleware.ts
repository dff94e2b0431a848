import { AppError, type TokenService } from '@lapak/core';
import type { ApiMiddleware } from '../http/api-state';

/** The 401 of a route that needs a principal and got none. */
export const tokenRequired = () => new AppError('unauthenticated', 'This endpoint needs a bearer token');

/** Reads `Authorization: Bearer …` when present; routes decide whether it is required. */
export function authenticate(tokens: TokenService): ApiMiddleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const match = /^Bearer ([^\s]+)$/i.exec(header);
      if (!match?.[1])
        throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
      ctx.state.principal = await tokens.verify(match[1]);
    }
    await next();
  };
}

/** Any valid token; the route then reads `ctx.state.caller`. */
export const requireUser: ApiMiddleware = async (ctx, next) => {
  if (!ctx.state.principal) throw tokenRequired();
  await next();
};

/** An admin's JWT or the admin API token. */
export const requireAdmin: ApiMiddleware = async (ctx, next) => {
  if (ctx.state.caller.role !== 'admin') throw new AppError('forbidden', 'Only admins may do this');
  await next();
};
