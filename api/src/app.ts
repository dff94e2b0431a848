import Koa from 'koa';
import Router from '@koa/router';
import type { ApiDeps } from './deps';
import { authenticate } from './middleware/auth.middleware';
import { errorMiddleware } from './middleware/error.middleware';
import { jsonBody } from './middleware/json-body.middleware';
import { requestContext } from './middleware/request-context.middleware';
import { categoryRoutes } from './routes/categories.routes';
import { healthRoutes } from './routes/health.routes';
import { orderRoutes } from './routes/orders.routes';

/** The Koa application: middleware in order, then one router per resource under /api/v1. */
export function createApp(deps: ApiDeps): Koa {
  const app = new Koa({ proxy: true });
  app.silent = true;

  const api = new Router({ prefix: '/api/v1' });
  const routers = [categoryRoutes(), orderRoutes(deps)];
  for (const routes of routers) api.use(routes.routes(), routes.allowedMethods());

  const health = healthRoutes(deps);
  app
    .use(requestContext(deps.logger, deps.orm))
    .use(deps.metrics.middleware)
    .use(errorMiddleware)
    .use(health.routes())
    .use(authenticate(deps.tokens))
    .use(jsonBody())
    .use(api.routes())
    .use(api.allowedMethods());
  return app;
}
