import Router from '@koa/router';
import { loginSchema, registerSchema } from '@lapak/contracts';
import { AuthService } from '@lapak/core';
import type { ApiDeps } from '../deps';
import { parse } from '../http/validate';
import { requireUser } from '../middleware/auth.middleware';

export function authRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/auth' });
  const auth = (ctx: { state: { em: ConstructorParameters<typeof AuthService>[0] } }) =>
    new AuthService(ctx.state.em, deps.tokens, deps.authRateLimiter);

  router.post('/register', async (ctx) => {
    const input = parse(registerSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await auth(ctx).register(input, { ip: ctx.ip });
  });

  router.post('/login', async (ctx) => {
    const input = parse(loginSchema, ctx.request.body);
    ctx.body = await auth(ctx).login(input, { ip: ctx.ip });
  });

  router.get('/me', requireUser, async (ctx) => {
    ctx.body = await auth(ctx).me(ctx.state.principal);
  });

  return router;
}
