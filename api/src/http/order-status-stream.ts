import { PassThrough } from 'node:stream';
import { finalOrderStatuses, type Order, type OrderStatusUpdate } from '@lapak/contracts';
import type { OrderStatusEvent, OrderStatusHub } from '@lapak/core';
import type { ApiContext } from './api-state';

const isFinal = (status: Order['status']) => finalOrderStatuses.includes(status);

function statusUpdate(order: Order): OrderStatusUpdate {
  return {
    orderId: order.id,
    status: order.status,
    failureReason: order.failureReason,
    updatedAt: order.updatedAt,
  };
}

/** Whose streams count together against the per-user cap: the user, or the static admin token. */
const watcherOf = (ctx: ApiContext) => ctx.state.caller.userId ?? 'admin-token';

/**
 * Turns the response into a `text/event-stream` of an order's status: open a watch first (which
 * refuses with 429 past the caller's or the process's stream cap), then read the current status
 * and send it, then every change, including those the hub finds when it re-reads every watched
 * order at each heartbeat (in case a message was lost while Redis reconnected). A heartbeat
 * comment keeps proxies from closing it. The stream ends after a final status, when the client
 * goes away, or after the hub's `lifetimeMs` (the browser's EventSource then connects again, and so
 * re-checks its access and takes a slot anew).
 */
export async function streamOrderStatus(
  ctx: ApiContext,
  options: {
    orderId: string;
    hub: OrderStatusHub;
    heartbeatMs: number;
    read: () => Promise<Order>;
  },
): Promise<void> {
  const early: OrderStatusEvent[] = [];
  let deliver: (event: OrderStatusEvent) => void = (event) => void early.push(event);
  const watch = await options.hub.open(watcherOf(ctx), options.orderId, (event) => deliver(event));

  let order: Order;
  try {
    order = await options.read();
  } catch (error) {
    watch.close();
    throw error;
  }

  const stream = new PassThrough();
  let last = order.status;
  let ended = false;
  const heartbeat = setInterval(() => {
    if (!ended) stream.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  const lifetime = setTimeout(end, options.hub.lifetimeMs);

  function end() {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    watch.close();
    stream.end();
  }

  function send(update: OrderStatusEvent) {
    if (ended || update.status === last) return;
    last = update.status;
    const data: OrderStatusUpdate = {
      orderId: update.orderId,
      status: update.status,
      failureReason: update.failureReason as OrderStatusUpdate['failureReason'],
      updatedAt: update.updatedAt,
    };
    stream.write(`event: status\ndata: ${JSON.stringify(data)}\n\n`);
    if (isFinal(update.status)) end();
  }

  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.req.once('close', end);
  stream.once('close', end);
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  ctx.body = stream;

  stream.write(`event: status\ndata: ${JSON.stringify(statusUpdate(order))}\n\n`);
  if (isFinal(order.status)) return end();
  deliver = send;
  for (const event of early) send(event);
}
