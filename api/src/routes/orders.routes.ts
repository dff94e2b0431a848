import Router from '@koa/router';
import { orderCreateHeadersSchema, orderCreateSchema, orderListQuerySchema } from '@lapak/contracts';
import {
  CheckoutService,
  OrderCancelService,
  OrderQueryService,
  publishOrderStatus,
  type OrderStatusEvent,
} from '@lapak/core';
import type { ApiDeps } from '../deps';
import { streamOrderStatus } from '../http/order-status-stream';
import { parse, parseId } from '../http/validate';
import { requireUser } from '../middleware/auth.middleware';
import { bullOrderQueue } from '../queues/order-queue';

export function orderRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/orders' });
  const queue = bullOrderQueue(deps.queues.orders);
  const publishStatus = (events: OrderStatusEvent[]) =>
    publishOrderStatus(deps.redis, deps.config.REDIS_PREFIX, events);

  router.post('/', requireUser, async (ctx) => {
    const headers = { 'Idempotency-Key': ctx.get('Idempotency-Key') || undefined };
    const key = parse(orderCreateHeadersSchema, headers, 'request headers')['Idempotency-Key'];
    const input = parse(orderCreateSchema, ctx.request.body);
    const checkout = new CheckoutService(
      () => ctx.state.em,
      queue,
      () => ctx.state.log,
      deps.checkoutBatcher,
    );
    const result = await checkout.checkout(ctx.state.principal, key, input, ctx.state.requestId);
    ctx.status = result.created ? 202 : 200;
    ctx.body = result.order;
  });

  router.get('/', requireUser, async (ctx) => {
    const query = parse(orderListQuerySchema, ctx.query, 'query string');
    ctx.body = await new OrderQueryService(ctx.state.em).list(ctx.state.principal, query);
  });

  router.get('/:id', requireUser, async (ctx) => {
    const id = parseId(ctx.params.id, 'order id');
    ctx.body = await new OrderQueryService(ctx.state.em).get(ctx.state.principal, id);
  });

  router.get('/:id/events', requireUser, async (ctx) => {
    const orderId = parseId(ctx.params.id, 'order id');
    const orders = new OrderQueryService(ctx.state.em);
    await streamOrderStatus(ctx, {
      orderId,
      hub: deps.orderStatus,
      heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
      read: () => orders.get(ctx.state.principal, orderId),
    });
  });

  router.post('/:id/cancel', requireUser, async (ctx) => {
    const id = parseId(ctx.params.id, 'order id');
    ctx.body = await new OrderCancelService(ctx.state.em, publishStatus, ctx.state.log).cancel(
      ctx.state.principal,
      id,
    );
  });

  return router;
}
