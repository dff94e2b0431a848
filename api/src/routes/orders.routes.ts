import Router from '@koa/router';
import {
  orderCreateHeadersSchema,
  orderCreateSchema,
  orderListQuerySchema,
  paymentConfirmSchema,
} from '@lapak/contracts';
import {
  CheckoutService,
  OrderCancelService,
  OrderQueryService,
  PaymentService,
  publishOrderStatus,
  type OrderStatusEvent,
} from '@lapak/core';
import type { ApiDeps } from '../deps';
import type { ApiRouter, ApiState } from '../http/api-state';
import { streamOrderStatus } from '../http/order-status-stream';
import { parse, parseId } from '../http/validate';
import { requireAdmin, requireUser } from '../middleware/auth.middleware';
import { bullOrderQueue } from '../queues/order-queue';

export function orderRoutes(deps: ApiDeps): ApiRouter {
  const router = new Router<ApiState>({ prefix: '/orders' });
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
      deps.checkoutRateLimiter,
    );
    const result = await checkout.checkout(ctx.state.caller, key, input, ctx.state.requestId);
    ctx.status = result.created ? 202 : 200;
    ctx.body = result.order;
  });

  router.get('/', requireUser, async (ctx) => {
    const query = parse(orderListQuerySchema, ctx.query, 'query string');
    ctx.body = await new OrderQueryService(ctx.state.em).list(ctx.state.caller, query);
  });

  router.get('/:id', requireUser, async (ctx) => {
    const id = parseId(ctx.params.id, 'order id');
    ctx.body = await new OrderQueryService(ctx.state.em).get(ctx.state.caller, id);
  });

  router.get('/:id/events', requireUser, async (ctx) => {
    const orderId = parseId(ctx.params.id, 'order id');
    const caller = ctx.state.caller;
    const orders = new OrderQueryService(ctx.state.em);
    await streamOrderStatus(ctx, {
      orderId,
      hub: deps.orderStatus,
      heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
      read: () => orders.get(caller, orderId),
    });
  });

  router.post('/:id/cancel', requireUser, async (ctx) => {
    const id = parseId(ctx.params.id, 'order id');
    ctx.body = await new OrderCancelService(ctx.state.em, publishStatus, ctx.state.log).cancel(
      ctx.state.caller,
      id,
    );
  });

  router.post('/:id/payment/confirm', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, 'order id');
    const input = parse(paymentConfirmSchema, ctx.request.body);
    ctx.body = await new PaymentService(ctx.state.em, publishStatus, ctx.state.log).confirm(id, input);
  });

  return router;
}
