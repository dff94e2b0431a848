import Router from '@koa/router';
import { shopSettingsPatchSchema } from '@lapak/contracts';
import { ShopSettingsService } from '@lapak/core';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse } from '../http/validate';
import { requireAdmin } from '../middleware/auth.middleware';

/** The shop's run-time settings, for admins. */
export function settingsRoutes(): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/settings' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = await new ShopSettingsService(ctx.state.em).get();
  });

  router.patch('/', requireAdmin, async (ctx) => {
    const patch = parse(shopSettingsPatchSchema, ctx.request.body);
    ctx.body = await new ShopSettingsService(ctx.state.em).update(patch);
  });

  return router;
}
