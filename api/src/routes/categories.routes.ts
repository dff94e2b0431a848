import Router from '@koa/router';
import {
  categoryCreateSchema,
  categoryListQuerySchema,
  categoryPatchSchema,
  categoryReplaceSchema,
} from '@lapak/contracts';
import { CategoryService } from '@lapak/core';
import { adminWriteRoutes } from '../http/admin-write-routes';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse, parseId } from '../http/validate';

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

  adminWriteRoutes(router, (em) => new CategoryService(em), 'category id', {
    create: categoryCreateSchema,
    replace: categoryReplaceSchema,
    patch: categoryPatchSchema,
  });

  return router;
}
