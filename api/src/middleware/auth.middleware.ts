import type { Middleware } from 'koa';
import { AppError, type Principal, type TokenService } from '@lapak/core';

/** Reads `Authorization: Bearer …` when present; routes decide whether it is required. */
export function authenticate(tokens: TokenService): Middleware {
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

export const requireUser: Middleware = async (ctx, next) => {
  if (!ctx.state.principal) throw new AppError('unauthenticated', 'This endpoint needs a bearer token');
  await next();
};

export const requireAdmin: Middleware = async (ctx, next) => {
  const principal: Principal | undefined = ctx.state.principal;
  if (!principal) throw new AppError('unauthenticated', 'This endpoint needs a bearer token');
  if (principal.role !== 'admin') throw new AppError('forbidden', 'Only admins may do this');
  await next();
};
