import Koa from 'koa';
import Router from '@koa/router';
import cors from '@koa/cors';
import type { ApiDeps } from './deps';
import type { ApiRouter, ApiState } from './http/api-state';
import { authenticate } from './middleware/auth.middleware';
import { dropBlankQueryParams } from './middleware/blank-query.middleware';
import { errorMiddleware } from './middleware/error.middleware';
import { jsonBody } from './middleware/json-body.middleware';
import { requestContext } from './middleware/request-context.middleware';
import { securityHeaders } from './middleware/security-headers.middleware';
import { adminSyncRoutes } from './routes/admin-sync.routes';
import { authRoutes } from './routes/auth.routes';
import { categoryRoutes } from './routes/categories.routes';
import { docsRoutes } from './routes/docs.routes';
import { healthRoutes } from './routes/health.routes';
import { orderRoutes } from './routes/orders.routes';
import { productRoutes } from './routes/products.routes';
import { settingsRoutes } from './routes/settings.routes';

/** One router per resource, mounted under /api/v1 (each route also needs its entry in openapi/route-docs.ts). */
export function apiRouters(deps: ApiDeps): ApiRouter[] {
  return [
    authRoutes(deps),
    categoryRoutes(),
    productRoutes(),
    orderRoutes(deps),
    settingsRoutes(),
    adminSyncRoutes(),
    docsRoutes(deps),
  ];
}

/**
 * The Koa application: middleware in order, then one router per resource under /api/v1. Its state
 * is ApiState: requestContext, first in the chain, sets it before anything else reads it.
 */
export function createApp(deps: ApiDeps): Koa<ApiState> {
  // Behind a proxy, the client IP (rate limits key on it) is the last X-Forwarded-For hop.
  const app = new Koa<ApiState>({ proxy: deps.config.API_TRUST_PROXY, maxIpsCount: 1 });
  app.silent = true;

  // The resources' routes are copied into one router, which alone answers 405 and OPTIONS: one
  // allowedMethods per resource would put six more middleware in every request's chain.
  const api = new Router<ApiState>({ prefix: '/api/v1' });
  for (const routes of apiRouters(deps)) api.use(routes.routes());

  const health = healthRoutes(deps);
  app
    .use(requestContext(deps.logger, deps.orm))
    .use(securityHeaders)
    .use(deps.metrics.middleware)
    .use(corsFor(deps.config.CORS_ORIGINS))
    .use(errorMiddleware)
    .use(health.routes())
    .use(authenticate(deps.tokens))
    .use(jsonBody())
    .use(dropBlankQueryParams)
    .use(api.routes())
    .use(api.allowedMethods());
  return app;
}

/** CORS for the configured browser origins only; other origins get no CORS headers. */
function corsFor(origins: string) {
  const allowed = new Set(
    origins
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  );
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    // The storefront sends the refresh cookie to /auth/refresh and /auth/logout.
    credentials: true,
    maxAge: 600,
  });
}
