import Router from '@koa/router';
import { sql } from 'kysely';
import type { ApiDeps } from '../deps';
import type { ApiRouter, ApiState } from '../http/api-state';

/**
 * Liveness and readiness, outside the versioned base path. `/metrics` is served on its own port
 * (http/metrics-server.ts), not here.
 */
export function healthRoutes(deps: ApiDeps): ApiRouter {
  const router = new Router<ApiState>();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const [postgres, redis] = await Promise.all([
      sql`select 1`
        .execute(deps.orm.em.fork().getKysely())
        .then(() => true)
        .catch(() => false),
      deps.redis
        .ping()
        .then((reply) => reply === 'PONG')
        .catch(() => false),
    ]);
    ctx.status = postgres && redis ? 200 : 503;
    ctx.body = { status: postgres && redis ? 'ready' : 'not_ready', checks: { postgres, redis } };
  });

  return router;
}
