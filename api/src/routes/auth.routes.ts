import Router from '@koa/router';
import { loginSchema, registerSchema } from '@lapak/contracts';
import { AppError, AuthService, SessionService, type Session } from '@lapak/core';
import type { ApiDeps } from '../deps';
import type { ApiContext, ApiRouter, ApiState } from '../http/api-state';
import { parse } from '../http/validate';
import { requireUser } from '../middleware/auth.middleware';

/** The refresh token's cookie: sent by the browser to the auth routes only, never readable by scripts. */
const REFRESH_COOKIE = 'lapak_refresh';
const REFRESH_COOKIE_PATH = '/api/v1/auth';

export function authRoutes(deps: ApiDeps): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/auth' });
  const { config } = deps;
  const auth = (state: ApiState) =>
    new AuthService(state.em, deps.tokens, deps.authRateLimiter, config.REFRESH_TTL_SECONDS);
  const sessions = (state: ApiState) => new SessionService(state.em, deps.tokens, config.REFRESH_TTL_SECONDS);
  const secure = (config.AUTH_COOKIE_SECURE ?? String(config.NODE_ENV === 'production')) === 'true';

  const setRefreshCookie = (ctx: ApiContext, value: string | null, expires?: Date) =>
    ctx.cookies.set(REFRESH_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: REFRESH_COOKIE_PATH,
      expires: value ? expires : new Date(0),
      overwrite: true,
    });
  /** Answers with the session's access token, and its refresh token as the cookie. */
  const answer = (ctx: ApiContext, session: Session) => {
    setRefreshCookie(ctx, session.refreshToken, session.refreshExpiresAt);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = session.result;
  };

  router.post('/register', async (ctx) => {
    const input = parse(registerSchema, ctx.request.body);
    answer(ctx, await auth(ctx.state).register(input, { ip: ctx.ip }));
    ctx.status = 201;
  });

  router.post('/login', async (ctx) => {
    const input = parse(loginSchema, ctx.request.body);
    answer(ctx, await auth(ctx.state).login(input, { ip: ctx.ip }));
  });

  router.post('/refresh', async (ctx) => {
    const refreshToken = ctx.cookies.get(REFRESH_COOKIE);
    if (!refreshToken) {
      throw new AppError('unauthenticated', 'No session to renew: the refresh cookie is missing; log in');
    }
    try {
      answer(ctx, await sessions(ctx.state).refresh(refreshToken));
    } catch (error) {
      setRefreshCookie(ctx, null);
      throw error;
    }
  });

  router.post('/logout', async (ctx) => {
    const refreshToken = ctx.cookies.get(REFRESH_COOKIE);
    if (refreshToken) await sessions(ctx.state).end(refreshToken);
    setRefreshCookie(ctx, null);
    ctx.status = 204;
  });

  router.get('/me', requireUser, async (ctx) => {
    ctx.body = await auth(ctx.state).me(ctx.state.caller);
  });

  return router;
}
