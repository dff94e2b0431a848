import Router from '@koa/router';
import {
  productCreateSchema,
  productListQuerySchema,
  productPatchSchema,
  productReplaceSchema,
} from '@lapak/contracts';
import { ProductService } from '@lapak/core';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse, parseId } from '../http/validate';
import { requireAdmin } from '../middleware/auth.middleware';

export function productRoutes(): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/products' });

  router.get('/', async (ctx) => {
    const query = parse(productListQuerySchema, ctx.query, 'query string');
    ctx.body = await new ProductService(ctx.state.em).list(ctx.state.principal, query);
  });

  router.get('/:id', async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    ctx.body = await new ProductService(ctx.state.em).get(ctx.state.principal, id);
  });

  router.post('/', requireAdmin, async (ctx) => {
    const input = parse(productCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await new ProductService(ctx.state.em).create(input);
  });

  router.put('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    const input = parse(productReplaceSchema, ctx.request.body);
    ctx.body = await new ProductService(ctx.state.em).replace(id, input);
  });

  router.patch('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    const input = parse(productPatchSchema, ctx.request.body);
    ctx.body = await new ProductService(ctx.state.em).patch(id, input);
  });

  router.delete('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    await new ProductService(ctx.state.em).delete(id);
    ctx.status = 204;
  });

  return router;
}
