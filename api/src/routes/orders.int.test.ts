import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queueNames } from '@lapak/contracts';
import { createRedis, publishOrderStatus } from '@lapak/core';
import {
  checkoutBody,
  makeProduct,
  makeUser,
  sampleShippingAddress,
  userTokens,
  useTestEnv,
} from '@lapak/core/testing';
import { createApp } from '../app';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const env = useTestEnv({ SSE_HEARTBEAT_MS: '200', ADMIN_API_TOKEN });
const api = useTestApi(env);

const { tokenFor } = userTokens(env);

async function customer() {
  const user = await makeUser(env.orm.em.fork());
  return { user, token: await tokenFor(user) };
}

async function counts() {
  const { rows } = await sql<{ orders: number; lines: number; keys: number }>`
    select (select count(*)::int from orders) as orders, (select count(*)::int from order_lines) as lines,
           (select count(*)::int from idempotency_keys) as keys
  `.execute(env.db());
  return rows[0]!;
}

function checkout(token: string, key: string | undefined, body: unknown) {
  return api.request('POST', '/api/v1/orders', {
    token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

/** Reads an SSE response until it ends (or `max` events), returning the `status` events' data. */
async function readEvents(response: Response, max = 10) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: any[] = [];
  let buffer = '';
  let comments = 0;
  while (events.length < max) {
    const { value, done } = await reader.read();
    if (done) return { events, comments, ended: true };
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (block.startsWith(':')) comments++;
      const data = /^data: (.*)$/m.exec(block);
      if (data) events.push(JSON.parse(data[1]!));
    }
  }
  await reader.cancel();
  return { events, comments, ended: false };
}

describe('POST /orders', () => {
  it('stores a pending order with a snapshot of each line, enqueues it once and answers 202', async () => {
    const em = env.orm.em.fork();
    const { token } = await customer();
    const kopi = await makeProduct(em, { priceCents: 4500, currency: 'IDR', name: 'Kopi Gayo' });
    const teh = await makeProduct(em, { priceCents: 1250, currency: 'IDR' });

    const res = await checkout(
      token,
      randomUUID(),
      checkoutBody([
        { productId: kopi.id, quantity: 2 },
        { productId: teh.id, quantity: 3 },
      ]),
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'pending',
      failureReason: null,
      items: [
        {
          productId: kopi.id,
          variantId: expect.any(String),
          optionValues: {},
          sku: kopi.sku,
          name: 'Kopi Gayo',
          unitPriceCents: 4500,
          quantity: 2,
        },
        {
          productId: teh.id,
          variantId: expect.any(String),
          optionValues: {},
          sku: teh.sku,
          name: teh.name,
          unitPriceCents: 1250,
          quantity: 3,
        },
      ],
      totalCents: 2 * 4500 + 3 * 1250,
      currency: 'IDR',
      shippingAddress: sampleShippingAddress,
      payment: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });

    const job = await api.deps.queues.orders.getJob(res.body.id);
    expect(job?.name).toBe('process-order');
    expect(job?.data).toEqual({ orderId: res.body.id, requestId: res.headers.get('x-request-id') });

    // The snapshot survives later catalog changes.
    await sql`update products set price_cents = 1, name = 'renamed' where id = ${kopi.id}`.execute(env.db());
    const again = await api.request('GET', `/api/v1/orders/${res.body.id}`, { token });
    expect(again.body).toEqual(res.body);
  });

  it('gives the same order for a retry with the same key and body, and 422 for another body', async () => {
    const { token } = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const key = `retry-${randomUUID()}`;
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);

    const first = await checkout(token, key, body);
    expect(first.status).toBe(202);
    const before = await counts();

    const retry = await checkout(token, key, body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    const reused = await checkout(token, key, checkoutBody([{ productId: product.id, quantity: 2 }]));
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
    expect(await api.deps.queues.orders.getJobCounts('waiting')).toMatchObject({ waiting: before.orders });

    // Keys belong to a user: another shopper may use the same key for their own order.
    const other = await customer();
    const theirs = await checkout(other.token, key, body);
    expect(theirs.status).toBe(202);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('makes one order from twenty concurrent requests with the same key', async () => {
    const { user, token } = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);

    const responses = await Promise.all(Array.from({ length: 20 }, () => checkout(token, key, body)));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 202]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from orders where user_id = ${user.id}
    `.execute(env.db());
    expect(rows[0]!.n).toBe(1);

    const different = await checkout(token, key, checkoutBody([{ productId: product.id, quantity: 5 }]));
    expect(different.status).toBe(422);
  });

  it('refuses lines that cannot be bought, naming each, and writes nothing', async () => {
    const em = env.orm.em.fork();
    const { token } = await customer();
    const ok = await makeProduct(em, { currency: 'EUR' });
    const deleted = await makeProduct(em, { deletedAt: new Date() });
    const draft = await makeProduct(em, { status: 'draft' });
    const dollars = await makeProduct(em, { currency: 'USD' });
    const before = await counts();

    const res = await checkout(
      token,
      randomUUID(),
      checkoutBody([
        { productId: ok.id, quantity: 1 },
        { productId: randomUUID(), quantity: 1 },
        { productId: deleted.id, quantity: 1 },
        { productId: draft.id, quantity: 1 },
        { productId: dollars.id, quantity: 1 },
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details).sort()).toEqual([
      'items.1.productId',
      'items.2.productId',
      'items.3.productId',
      'items.4.productId',
    ]);
    expect(res.body.error.details['items.4.productId']).toMatch(/USD/);
    expect(await counts()).toEqual(before);
  });

  it('takes product ids in either letter case and answers them in lower case', async () => {
    const { token } = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const res = await checkout(
      token,
      randomUUID(),
      checkoutBody([{ productId: product.id.toUpperCase(), quantity: 1 }]),
    );
    expect(res.status).toBe(202);
    expect(res.body.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 1 })]);
  });

  it('validates the key and the body', async () => {
    const { token } = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const line = { productId: product.id, quantity: 1 };
    const lineInCapitals = { ...line, productId: product.id.toUpperCase() };
    const before = await counts();
    const cases: Array<[string | undefined, unknown, string]> = [
      [undefined, checkoutBody([line]), 'Idempotency-Key'],
      ['x'.repeat(256), checkoutBody([line]), 'Idempotency-Key'],
      [randomUUID(), checkoutBody([]), 'items'],
      [randomUUID(), checkoutBody(Array.from({ length: 101 }, () => line)), 'items'],
      [randomUUID(), checkoutBody([line, line]), 'items.1.productId'],
      [randomUUID(), checkoutBody([line, lineInCapitals]), 'items.1.productId'],
      [randomUUID(), checkoutBody([{ ...line, quantity: 0 }]), 'items.0.quantity'],
      [randomUUID(), checkoutBody([{ ...line, quantity: 1001 }]), 'items.0.quantity'],
      [randomUUID(), checkoutBody([{ ...line, quantity: 1.5 }]), 'items.0.quantity'],
      [randomUUID(), checkoutBody([{ productId: 'not-a-uuid', quantity: 1 }]), 'items.0.productId'],
      [randomUUID(), { ...checkoutBody([line]), coupon: 'FREE' }, 'coupon'],
    ];
    for (const [key, body, field] of cases) {
      const res = await checkout(token, key, body);
      expect(res.status, JSON.stringify({ key, body })).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.details)).toContain(field);
    }
    expect(await counts()).toEqual(before);

    expect((await api.request('POST', '/api/v1/orders', { body: checkoutBody([line]) })).status).toBe(401);
    const tool = await checkout(ADMIN_API_TOKEN, randomUUID(), checkoutBody([line]));
    expect(tool.status).toBe(403);
    const ghost = await checkout(
      await tokenFor({ id: randomUUID(), role: 'customer' }),
      randomUUID(),
      checkoutBody([line]),
    );
    expect(ghost.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('still answers 202 when the queue cannot take the job, leaving the order pending', async () => {
    const { token } = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer');
    deadRedis.on('error', () => undefined);
    const deadQueue = new Queue(queueNames.orders, {
      connection: deadRedis,
      prefix: env.config.REDIS_PREFIX,
    });
    deadQueue.on('error', () => undefined);
    const server = createApp({ ...api.deps, queues: { orders: deadQueue } }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(checkoutBody([{ productId: product.id, quantity: 1 }])),
      });
      expect(res.status).toBe(202);
      const order = (await res.json()) as { id: string };
      const { rows } = await sql<{
        status: string;
      }>`select status from orders where id = ${order.id}`.execute(env.db());
      expect(rows).toEqual([{ status: 'pending' }]);
      expect(await api.deps.queues.orders.getJob(order.id)).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      deadRedis.disconnect();
    }
  });
});

describe('GET /orders', () => {
  it('shows an order to its owner and admins only', async () => {
    const owner = await customer();
    const stranger = await customer();
    const admin = await makeUser(env.orm.em.fork(), { role: 'admin' });
    const product = await makeProduct(env.orm.em.fork());
    const { body: order } = await checkout(
      owner.token,
      randomUUID(),
      checkoutBody([{ productId: product.id, quantity: 1 }]),
    );

    const path = `/api/v1/orders/${order.id}`;
    expect((await api.request('GET', path, { token: owner.token })).body).toEqual(order);
    expect((await api.request('GET', path, { token: await tokenFor(admin) })).body).toEqual(order);
    const hidden = await api.request('GET', path, { token: stranger.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect((await api.request('GET', `/api/v1/orders/${randomUUID()}`, { token: owner.token })).status).toBe(
      404,
    );
    expect((await api.request('GET', '/api/v1/orders/nope', { token: owner.token })).status).toBe(400);
    expect((await api.request('GET', path)).status).toBe(401);
  });

  it('lists the caller’s orders newest first by cursor, filters by status; admins see everyone’s', async () => {
    const me = await customer();
    const other = await customer();
    const product = await makeProduct(env.orm.em.fork());
    const mine = [];
    for (let i = 0; i < 3; i++) {
      const res = await checkout(
        me.token,
        randomUUID(),
        checkoutBody([{ productId: product.id, quantity: 1 }]),
      );
      mine.push(res.body.id as string);
    }
    const { body: theirs } = await checkout(
      other.token,
      randomUUID(),
      checkoutBody([{ productId: product.id, quantity: 1 }]),
    );
    await sql`update orders set status = 'confirmed' where id = ${mine[0]}`.execute(env.db());

    const page1 = await api.request('GET', '/api/v1/orders?limit=2', { token: me.token });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((o: { id: string }) => o.id)).toEqual([mine[2], mine[1]]);
    const page2 = await api.request('GET', `/api/v1/orders?limit=2&cursor=${page1.body.nextCursor}`, {
      token: me.token,
    });
    expect(page2.body).toMatchObject({ items: [{ id: mine[0], status: 'confirmed' }], nextCursor: null });

    const confirmed = await api.request('GET', '/api/v1/orders?status=confirmed', { token: me.token });
    expect(confirmed.body.items.map((o: { id: string }) => o.id)).toEqual([mine[0]]);

    const admin = await makeUser(env.orm.em.fork(), { role: 'admin' });
    const all = await api.request('GET', '/api/v1/orders?limit=100', { token: await tokenFor(admin) });
    const ids = all.body.items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([...mine, theirs.id]));

    const bad = await api.request('GET', '/api/v1/orders?status=shipped&limit=0', { token: me.token });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details).sort()).toEqual(['limit', 'status']);
  });
});

describe('GET /orders/:id/events', () => {
  async function placeOrder(token: string) {
    const product = await makeProduct(env.orm.em.fork());
    const res = await checkout(token, randomUUID(), checkoutBody([{ productId: product.id, quantity: 1 }]));
    return res.body as { id: string };
  }

  async function changeStatus(order: { id: string }, userId: string, status: 'confirmed' | 'failed') {
    const failureReason = status === 'failed' ? 'out_of_stock' : null;
    const { rows } = await sql<{ updated_at: Date }>`
      update orders set status = ${status}, failure_reason = ${failureReason}, updated_at = now()
       where id = ${order.id} returning updated_at
    `.execute(env.db());
    await publishOrderStatus(api.deps.redis, env.config.REDIS_PREFIX, [
      {
        orderId: order.id,
        userId,
        status,
        failureReason,
        updatedAt: new Date(rows[0]!.updated_at).toISOString(),
      },
    ]);
  }

  it('sends the current status, then each change, and ends after a final status', async () => {
    const { user, token } = await customer();
    const order = await placeOrder(token);
    const res = await fetch(`${api.url}/api/v1/orders/${order.id}/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const reading = readEvents(res);
    await new Promise((resolve) => setTimeout(resolve, 450)); // let a couple of heartbeats pass
    await changeStatus(order, user.id, 'failed');
    const { events, comments, ended } = await reading;
    expect(ended).toBe(true);
    expect(comments).toBeGreaterThanOrEqual(1);
    expect(events).toEqual([
      { orderId: order.id, status: 'pending', failureReason: null, updatedAt: expect.any(String) },
      { orderId: order.id, status: 'failed', failureReason: 'out_of_stock', updatedAt: expect.any(String) },
    ]);
    await expect.poll(() => api.deps.orderStatus.watchedOrders).toBe(0);
  });

  it('sends one event and ends at once for an order that is already final', async () => {
    const { user, token } = await customer();
    const order = await placeOrder(token);
    await changeStatus(order, user.id, 'confirmed');
    const res = await fetch(`${api.url}/api/v1/orders/${order.id}/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { events, ended } = await readEvents(res);
    expect(ended).toBe(true);
    expect(events.map((e) => e.status)).toEqual(['confirmed']);
  });

  it('answers 404 for another user’s order and stops watching when the client leaves', async () => {
    const owner = await customer();
    const stranger = await customer();
    const order = await placeOrder(owner.token);
    const hidden = await api.request('GET', `/api/v1/orders/${order.id}/events`, { token: stranger.token });
    expect(hidden.status).toBe(404);
    expect(api.deps.orderStatus.watchedOrders).toBe(0);

    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/v1/orders/${order.id}/events`, {
      headers: { authorization: `Bearer ${owner.token}` },
      signal: controller.signal,
    });
    const { events } = await readEvents(res, 1);
    expect(events.map((e) => e.status)).toEqual(['pending']);
    expect(api.deps.orderStatus.watchedOrders).toBe(1);
    controller.abort();
    await expect.poll(() => api.deps.orderStatus.watchedOrders).toBe(0);
  });
});
