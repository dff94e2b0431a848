import Router from '@koa/router';
import { syncDeadLetterListQuerySchema, syncDeliveryListQuerySchema } from '@lapak/contracts';
import { SyncAdminService } from '@lapak/core';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse, parseId } from '../http/validate';
import { requireAdmin } from '../middleware/auth.middleware';

/** The catalog sync's health for the admin app: stats, the delivery log, dead letters and replays. */
export function adminSyncRoutes(): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/admin/sync' });
  router.use(requireAdmin);

  router.get('/stats', async (ctx) => {
    ctx.body = await new SyncAdminService(ctx.state.em).stats();
  });

  router.get('/deliveries', async (ctx) => {
    const query = parse(syncDeliveryListQuerySchema, ctx.query, 'query string');
    ctx.body = await new SyncAdminService(ctx.state.em).deliveries(query);
  });

  router.get('/dead-letters', async (ctx) => {
    const query = parse(syncDeadLetterListQuerySchema, ctx.query, 'query string');
    ctx.body = await new SyncAdminService(ctx.state.em).deadLetters(query);
  });

  router.post('/dead-letters/:id/replay', async (ctx) => {
    const id = parseId(ctx.params.id, 'event id');
    ctx.status = 202;
    ctx.body = await new SyncAdminService(ctx.state.em).replayDeadLetter(id);
  });

  return router;
}
