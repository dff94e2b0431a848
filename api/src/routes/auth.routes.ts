import Router from '@koa/router';
import { loginSchema, registerSchema } from '@lapak/contracts';
import { AuthService } from '@lapak/core';
import type { ApiDeps } from '../deps';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse } from '../http/validate';
import { requireUser } from '../middleware/auth.middleware';

export function authRoutes(deps: ApiDeps): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/auth' });
  const auth = (state: ApiState) => new AuthService(state.em, deps.tokens, deps.authRateLimiter);

  router.post('/register', async (ctx) => {
    const input = parse(registerSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await auth(ctx.state).register(input, { ip: ctx.ip });
  });

  router.post('/login', async (ctx) => {
    const input = parse(loginSchema, ctx.request.body);
    ctx.body = await auth(ctx.state).login(input, { ip: ctx.ip });
  });

  router.get('/me', requireUser, async (ctx) => {
    ctx.body = await auth(ctx.state).me(ctx.state.caller);
  });

  return router;
}
