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

/**
 * Turns the response into a `text/event-stream` of an order's status: subscribe first, then
 * read the current status and send it, then every change; a heartbeat comment (which also
 * re-reads the status, in case a message was lost while Redis reconnected) keeps proxies from
 * closing it. The stream ends after a final status or when the client goes away.
 */
export async function streamOrderStatus(
  ctx: ApiContext,
  options: { orderId: string; hub: OrderStatusHub; heartbeatMs: number; read: () => Promise<Order> },
): Promise<void> {
  const early: OrderStatusEvent[] = [];
  let deliver: (event: OrderStatusEvent) => void = (event) => void early.push(event);
  const unwatch = await options.hub.watch(options.orderId, (event) => deliver(event));

  let order: Order;
  try {
    order = await options.read();
  } catch (error) {
    unwatch();
    throw error;
  }

  const stream = new PassThrough();
  let last = order.status;
  let ended = false;
  const heartbeat = setInterval(() => {
    if (ended) return;
    stream.write(': heartbeat\n\n');
    options.read().then(send, () => undefined);
  }, options.heartbeatMs);

  function end() {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unwatch();
    stream.end();
  }

  function send(update: Order | OrderStatusEvent) {
    if (ended || update.status === last) return;
    last = update.status;
    const data: OrderStatusUpdate =
      'orderId' in update
        ? {
            orderId: update.orderId,
            status: update.status,
            failureReason: update.failureReason as OrderStatusUpdate['failureReason'],
            updatedAt: update.updatedAt,
          }
        : statusUpdate(update);
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
