/**
 * Live order status end to end: checkout through the real API, the stream opened before any
 * worker runs, then a real worker process decides and every API instance relays the change. A
 * bank transfer's stream stays open while it awaits payment and ends when the shop records it.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService, createLogger } from '@lapak/core';
import { checkoutBody, eventually, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
import { createApp } from '@lapak/api/src/app';
import { createApiDeps, type ApiDeps } from '@lapak/api/src/deps';
import { useTestApi } from '@lapak/api/src/testing/test-api';
import { useWorkerProcesses } from '@lapak/worker/src/testing/worker-harness';

const ADMIN_API_TOKEN = 'e2e-admin-api-token-0123456789abcdef';
const env = useTestEnv({ SSE_HEARTBEAT_MS: '60000', ADMIN_API_TOKEN });
const api = useTestApi(env);
const workerProcesses = useWorkerProcesses(() => env.config, { stopSignal: 'SIGTERM' });

/** A second API instance on the same database and Redis, as behind a load balancer. */
let secondUrl = '';
let secondServer: Server | undefined;
let secondDeps: ApiDeps | undefined;
beforeAll(async () => {
  secondDeps = await createApiDeps(env.config, createLogger({ level: 'silent', name: 'api' }));
  secondServer = createApp(secondDeps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => secondServer!.once('listening', () => resolve()));
  secondUrl = `http://127.0.0.1:${(secondServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  secondServer?.closeAllConnections();
  await new Promise<void>((resolve) => (secondServer ? secondServer.close(() => resolve()) : resolve()));
  await secondDeps?.close();
});

interface StatusEvent {
  status: string;
  failureReason: string | null;
}

interface Stream {
  /** The `status` events' data so far. */
  seen: StatusEvent[];
  /** Resolves with the `status` events' data once the server ends the stream. */
  events: Promise<StatusEvent[]>;
  /** Whether the server has ended the stream. */
  ended(): boolean;
}

async function openStream(baseUrl: string, orderId: string, token: string): Promise<Stream> {
  const res = await fetch(`${baseUrl}/api/v1/orders/${orderId}/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: StatusEvent[] = [];
  let ended = false;
  let sawFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (sawFirst = resolve));
  const events = (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message);
        if (/^event: status$/m.test(message) && data) {
          seen.push(JSON.parse(data[1]!));
          sawFirst();
        }
      }
    }
    ended = true;
    sawFirst();
    return seen;
  })();
  await first;
  return { seen, events, ended: () => ended };
}

/** The order's stream opened on each API instance, in turn. */
async function openOnEveryInstance(orderId: string, token: string): Promise<Stream[]> {
  return [await openStream(api.url, orderId, token), await openStream(secondUrl, orderId, token)];
}

/** A new shopper checks out `quantity` units of a new product with `stock`: the order and their token. */
async function checkout(order: {
  stock: number;
  quantity: number;
  method: 'bank_transfer' | 'cash_on_delivery';
}): Promise<{ orderId: string; token: string }> {
  const user = await makeUser(env.orm.em.fork());
  const token = await new TokenService(env.config.JWT_SECRET, 3600).issue(user);
  const product = await makeProduct(env.orm.em.fork(), { stock: order.stock });
  const res = await api.request('POST', '/api/v1/orders', {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: checkoutBody([{ productId: product.id, quantity: order.quantity }], order.method),
  });
  expect(res.status).toBe(202);
  return { orderId: res.body.id, token };
}

describe('GET /orders/:id/events with a real worker process', () => {
  it('shows pending, then confirmed (cash on delivery), on every API instance, and ends', async () => {
    const { orderId, token } = await checkout({ stock: 3, quantity: 2, method: 'cash_on_delivery' });

    // Both streams are open and have said `pending` before any worker runs.
    const streams = await openOnEveryInstance(orderId, token);
    await workerProcesses.start();

    for (const stream of streams) {
      expect(await stream.events).toEqual([
        expect.objectContaining({ status: 'pending', failureReason: null }),
        expect.objectContaining({ status: 'confirmed', failureReason: null }),
      ]);
    }
  });

  it('shows pending, then failed with its reason', async () => {
    const { orderId, token } = await checkout({ stock: 1, quantity: 5, method: 'bank_transfer' });

    const stream = await openStream(secondUrl, orderId, token);
    await workerProcesses.start();

    expect(await stream.events).toEqual([
      expect.objectContaining({ orderId, status: 'pending' }),
      expect.objectContaining({ orderId, status: 'failed', failureReason: 'out_of_stock' }),
    ]);
  });

  it('a bank transfer: awaiting payment keeps the stream open; the payment recorded ends it confirmed', async () => {
    const { orderId, token } = await checkout({ stock: 3, quantity: 1, method: 'bank_transfer' });

    const streams = await openOnEveryInstance(orderId, token);
    await workerProcesses.start();
    for (const stream of streams) {
      await eventually('awaiting_payment on the stream', async () =>
        stream.seen.some((event) => event.status === 'awaiting_payment'),
      );
    }
    // Not a final status: both streams stay open for what comes next.
    expect(streams.some((stream) => stream.ended())).toBe(false);

    const order = await api.request('GET', `/api/v1/orders/${orderId}`, { token });
    const paid = await api.request('POST', `/api/v1/orders/${orderId}/payment/confirm`, {
      token: ADMIN_API_TOKEN,
      body: { amountCents: order.body.payment.amountCents, reference: order.body.payment.reference },
    });
    expect(paid.status, paid.text).toBe(200);

    for (const stream of streams) {
      expect(await stream.events).toEqual([
        expect.objectContaining({ status: 'pending', failureReason: null }),
        expect.objectContaining({ status: 'awaiting_payment', failureReason: null }),
        expect.objectContaining({ status: 'confirmed', failureReason: null }),
      ]);
    }
  });
});
