import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeOrder, makeProduct, makeUser, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

/**
 * The bounds on order status streams, on the real API: streams per user and per process (429
 * with Retry-After past either, never a 5xx), a longest life, and the status re-read that the
 * process makes once per heartbeat for every order its streams watch.
 */
const env = useTestEnv({
  SSE_HEARTBEAT_MS: '200',
  SSE_MAX_STREAMS_PER_USER: '2',
  SSE_MAX_STREAMS_PER_PROCESS: '4',
  SSE_MAX_LIFETIME_MS: '1500',
});
const api = useTestApi(env);

const { tokenFor } = userTokens(env);

async function shopperWithOrder() {
  const em = env.orm.em.fork();
  const user = await makeUser(em);
  const product = await makeProduct(em);
  const order = await makeOrder(em, {
    user,
    lines: [{ product, quantity: 1 }],
    status: 'awaiting_payment',
    paymentMethod: 'bank_transfer',
  });
  return { user, order, token: await tokenFor(user) };
}

interface OpenStream {
  response: Response;
  /** The `status` events' data read so far. */
  events: { status: string }[];
  comments: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an order's event stream and reads it in the background. */
async function openStream(token: string, orderId: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/api/v1/orders/${orderId}/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const stream: OpenStream = {
    response,
    events: [],
    comments: 0,
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (response.status !== 200) {
    await response.text();
    return stream;
  }
  stream.ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (block.startsWith(':')) stream.comments++;
          const data = /^data: (.*)$/m.exec(block);
          if (data) stream.events.push(JSON.parse(data[1]!) as { status: string });
        }
      }
    } catch {
      // aborted by the client
    }
  })();
  await expect.poll(() => stream.events.length).toBeGreaterThan(0);
  return stream;
}

async function closeAll(streams: OpenStream[]) {
  for (const stream of streams) stream.close();
  await Promise.all(streams.map((stream) => stream.ended));
  await expect.poll(() => api.deps.orderStatus.openStreams).toBe(0);
}

describe('order status streams are bounded', () => {
  it('lets a user hold two streams; a third is 429 with Retry-After until one closes', async () => {
    const shopper = await shopperWithOrder();
    const other = await shopperWithOrder();
    const first = await openStream(shopper.token, shopper.order.id);
    const second = await openStream(shopper.token, shopper.order.id);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);

    const refused = await api.request('GET', `/api/v1/orders/${shopper.order.id}/events`, {
      token: shopper.token,
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // The slot of the oldest stream lapses within its lifetime at the latest.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    // Another shopper is not held back by this one.
    const others = await openStream(other.token, other.order.id);
    expect(others.response.status).toBe(200);

    first.close();
    await first.ended;
    await expect.poll(() => api.deps.orderStatus.openStreams).toBe(2);
    // The slot is freed in Redis as the stream closes.
    const again = await openStream(shopper.token, shopper.order.id);
    expect(again.response.status).toBe(200);
    await closeAll([again, second, others]);
  });

  it('refuses past the process cap with 429 and Retry-After, never a 5xx', async () => {
    const shoppers = await Promise.all([1, 2, 3, 4, 5].map(() => shopperWithOrder()));
    const open = [];
    for (const shopper of shoppers.slice(0, 4)) open.push(await openStream(shopper.token, shopper.order.id));
    expect(open.map((stream) => stream.response.status)).toEqual([200, 200, 200, 200]);
    const last = shoppers[4]!;
    const refused = await api.request('GET', `/api/v1/orders/${last.order.id}/events`, { token: last.token });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await closeAll(open);
    const after = await openStream(last.token, last.order.id);
    expect(after.response.status).toBe(200);
    await closeAll([after]);
  });

  it('ends a stream after its lifetime, with no final status; the client may connect again', async () => {
    const shopper = await shopperWithOrder();
    const started = Date.now();
    const stream = await openStream(shopper.token, shopper.order.id);
    await stream.ended;
    const lived = Date.now() - started;
    expect(lived).toBeGreaterThanOrEqual(1400);
    expect(lived).toBeLessThan(5000);
    expect(stream.events.map((event) => event.status)).toEqual(['awaiting_payment']);
    expect(stream.comments).toBeGreaterThanOrEqual(3);
    await expect.poll(() => api.deps.orderStatus.openStreams).toBe(0);
    expect(api.deps.orderStatus.watchedOrders).toBe(0);
    const again = await openStream(shopper.token, shopper.order.id);
    expect(again.response.status).toBe(200);
    await closeAll([again]);
  });

  it('finds a change no message announced at the next heartbeat, for every stream of the order', async () => {
    const shopper = await shopperWithOrder();
    const streams = [
      await openStream(shopper.token, shopper.order.id),
      await openStream(shopper.token, shopper.order.id),
    ];
    // Changed in the database only, as when a published message was lost.
    await sql`update orders set status = 'confirmed', updated_at = now() where id = ${shopper.order.id}`.execute(
      env.orm.em.fork().getKysely(),
    );
    await Promise.all(streams.map((stream) => stream.ended));
    for (const stream of streams) {
      expect(stream.events.map((event) => event.status)).toEqual(['awaiting_payment', 'confirmed']);
    }
    await expect.poll(() => api.deps.orderStatus.openStreams).toBe(0);
  });
});
