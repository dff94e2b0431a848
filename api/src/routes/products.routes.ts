import Router from '@koa/router';
import {
  productCreateSchema,
  productListQuerySchema,
  productPatchSchema,
  productReplaceSchema,
  variantCreateSchema,
  variantPatchSchema,
} from '@lapak/contracts';
import { ProductService } from '@lapak/core';
import { adminWriteRoutes } from '../http/admin-write-routes';
import { requireAdmin } from '../middleware/auth.middleware';
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

  // A product's variants; each answers the product, whose version and totals they change.
  router.post('/:id/variants', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    const input = parse(variantCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await new ProductService(ctx.state.em).addVariant(id, input);
  });

  router.patch('/:id/variants/:variantId', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    const variantId = parseId(ctx.params.variantId, 'variant id');
    const input = parse(variantPatchSchema, ctx.request.body);
    ctx.body = await new ProductService(ctx.state.em).patchVariant(id, variantId, input);
  });

  router.delete('/:id/variants/:variantId', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'product id');
    const variantId = parseId(ctx.params.variantId, 'variant id');
    ctx.body = await new ProductService(ctx.state.em).deleteVariant(id, variantId);
  });

  return router;
}
