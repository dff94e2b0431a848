import Router from '@koa/router';
import {
  productCreateSchema,
  productListQuerySchema,
  productPatchSchema,
  productReplaceSchema,
} from '@lapak/contracts';
import { ProductService } from '@lapak/core';
import { adminWriteRoutes } from '../http/admin-write-routes';
import type { ApiRouter, ApiState } from '../http/api-state';
import { parse, parseId } from '../http/validate';

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

  adminWriteRoutes(router, (em) => new ProductService(em), 'product id', {
    create: productCreateSchema,
    replace: productReplaceSchema,
    patch: productPatchSchema,
  });

  return router;
}
