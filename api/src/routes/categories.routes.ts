import Router from '@koa/router';
import {
  categoryCreateSchema,
  categoryListQuerySchema,
  categoryPatchSchema,
  categoryReplaceSchema,
} from '@lapak/contracts';
import { CategoryService } from '@lapak/core';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse, parseId } from '../http/validate';
import { requireAdmin } from '../middleware/auth.middleware';

export function categoryRoutes(): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/categories' });

  router.get('/', async (ctx) => {
    const query = parse(categoryListQuerySchema, ctx.query, 'query string');
    ctx.body = await new CategoryService(ctx.state.em).list(query);
  });

  router.get('/:id', async (ctx) => {
    const id = parseId(ctx.params.id, 'category id');
    ctx.body = await new CategoryService(ctx.state.em).get(id);
  });

  router.post('/', requireAdmin, async (ctx) => {
    const input = parse(categoryCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await new CategoryService(ctx.state.em).create(input);
  });

  router.put('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'category id');
    const input = parse(categoryReplaceSchema, ctx.request.body);
    ctx.body = await new CategoryService(ctx.state.em).replace(id, input);
  });

  router.patch('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'category id');
    const input = parse(categoryPatchSchema, ctx.request.body);
    ctx.body = await new CategoryService(ctx.state.em).patch(id, input);
  });

  router.delete('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'category id');
    await new CategoryService(ctx.state.em).delete(id);
    ctx.status = 204;
  });

  return router;
}
