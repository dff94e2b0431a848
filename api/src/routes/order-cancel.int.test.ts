import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { OrderProcessingService, createRedis, orderStatusChannel, type OrderStatusEvent } from '@lapak/core';
import {
  makeOrder,
  makeProduct,
  makeUser,
  storedStatus,
  storedStock,
  userTokens,
  useTestEnv,
} from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const env = useTestEnv({ ADMIN_API_TOKEN });
const api = useTestApi(env);
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((close) => close()));

const { tokenFor } = userTokens(env);
const cancel = (orderId: string, token?: string) =>
  api.request('POST', `/api/v1/orders/${orderId}/cancel`, { token });

async function shopper() {
  const user = await makeUser(env.orm.em.fork());
  return { user, token: await tokenFor(user) };
}

async function productEvents(id: string) {
  const { rows } = await sql<{ version: number; stock: number }>`
    select aggregate_version as version, (payload->>'stock')::int as stock
      from outbox_events where aggregate_id = ${id} and type = 'product.upserted' order by seq`.execute(
    env.db(),
  );
  return rows;
}

async function listen() {
  const subscriber = createRedis(env.config.REDIS_URL, 'worker');
  const events: OrderStatusEvent[] = [];
  subscriber.on('message', (_: string, message: string) => events.push(JSON.parse(message)));
  await subscriber.subscribe(orderStatusChannel(env.config.REDIS_PREFIX));
  cleanup.push(() => subscriber.disconnect());
  return events;
}

const decide = (ids: string[]) => new OrderProcessingService(env.orm.em.fork()).decide(ids);

describe('POST /orders/:id/cancel', () => {
  it('cancels an order awaiting payment and returns its stock, versioned and outboxed in the same transaction', async () => {
    const { user, token } = await shopper();
    const em = env.orm.em.fork();
    const kopi = await makeProduct(em, { stock: 10 });
    const teh = await makeProduct(em, { stock: 4 });
    const order = await makeOrder(em, {
      user,
      paymentMethod: 'bank_transfer',
      lines: [
        { product: kopi, quantity: 3 },
        { product: teh, quantity: 4 },
      ],
    });
    await decide([order.id]);
    expect(await storedStock(env, kopi.id)).toEqual({ stock: 7, version: 2 });
    const events = await listen();

    const res = await cancel(order.id, token);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: order.id,
      status: 'cancelled',
      failureReason: null,
      payment: { method: 'bank_transfer', status: 'expired' },
      items: [
        { productId: kopi.id, sku: kopi.sku, quantity: 3 },
        { productId: teh.id, sku: teh.sku, quantity: 4 },
      ],
    });
    expect(await storedStock(env, kopi.id)).toEqual({ stock: 10, version: 3 });
    expect(await storedStock(env, teh.id)).toEqual({ stock: 4, version: 3 });
    expect(await productEvents(kopi.id)).toEqual([
      { version: 2, stock: 7 },
      { version: 3, stock: 10 },
    ]);
    expect(await productEvents(teh.id)).toEqual([
      { version: 2, stock: 0 },
      { version: 3, stock: 4 },
    ]);
    await expect
      .poll(() => events.find((e) => e.orderId === order.id))
      .toMatchObject({ userId: user.id, status: 'cancelled', failureReason: null });
  });

  it('cancels a pending order without touching stock, and its queued job then does nothing', async () => {
    const { user, token } = await shopper();
    const em = env.orm.em.fork();
    const product = await makeProduct(em, { stock: 5 });
    const order = await makeOrder(em, { user, lines: [{ product, quantity: 2 }] });

    const res = await cancel(order.id, token);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');

    const late = await decide([order.id]);
    expect(late.decided).toEqual([]);
    expect(late.alreadyFinal.get(order.id)).toBe('cancelled');
    expect(await storedStock(env, product.id)).toEqual({ stock: 5, version: 1 });
    expect(await productEvents(product.id)).toEqual([]);
  });

  it.each(['failed', 'cancelled'] as const)(
    'refuses a %s order with 409 and changes nothing',
    async (status) => {
      const { user, token } = await shopper();
      const em = env.orm.em.fork();
      const product = await makeProduct(em, { stock: 5 });
      const order = await makeOrder(em, {
        user,
        lines: [{ product, quantity: 1 }],
        status,
        failureReason: status === 'failed' ? 'out_of_stock' : null,
      });

      const res = await cancel(order.id, token);

      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', details: { status } });
      expect(res.body.error.message).toMatch(new RegExp(`order is ${status}`));
      expect((await storedStatus(env, order.id)).status).toBe(status);
      expect(await storedStock(env, product.id)).toEqual({ stock: 5, version: 1 });
    },
  );

  it("hides another shopper's order (404); an admin, by token or API token, may cancel it", async () => {
    const owner = await shopper();
    const stranger = await shopper();
    const admin = await makeUser(env.orm.em.fork(), { role: 'admin' });
    const em = env.orm.em.fork();
    const product = await makeProduct(em);
    const first = await makeOrder(em, { user: owner.user, lines: [{ product, quantity: 1 }] });
    const second = await makeOrder(em, { user: owner.user, lines: [{ product, quantity: 1 }] });

    const hidden = await cancel(first.id, stranger.token);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect((await storedStatus(env, first.id)).status).toBe('pending');

    expect((await cancel(first.id, await tokenFor(admin))).status).toBe(200);
    expect((await cancel(second.id, ADMIN_API_TOKEN)).status).toBe(200);
    expect((await storedStatus(env, second.id)).status).toBe('cancelled');
  });

  it('answers 401 without a token, 400 for a malformed id and 404 for an unknown one', async () => {
    const { token } = await shopper();
    expect((await cancel('01900000-0000-7000-8000-000000000000')).status).toBe(401);
    const bad = await cancel('not-an-id', token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await cancel('01900000-0000-7000-8000-000000000000', token)).status).toBe(404);
  });

  it('returns stock exactly once when the same order is cancelled twice at the same time', async () => {
    const { user, token } = await shopper();
    const em = env.orm.em.fork();
    const product = await makeProduct(em, { stock: 10 });
    const order = await makeOrder(em, {
      user,
      paymentMethod: 'bank_transfer',
      lines: [{ product, quantity: 6 }],
    });
    await decide([order.id]);

    const answers = await Promise.all(Array.from({ length: 6 }, () => cancel(order.id, token)));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(await storedStock(env, product.id)).toEqual({ stock: 10, version: 3 });
  });

  it('keeps the books straight when cancels race the worker deciding the same orders', async () => {
    const { user, token } = await shopper();
    const em = env.orm.em.fork();
    // Enough for every order, so each one is either still pending or awaiting payment when its
    // cancel lands.
    const product = await makeProduct(em, { stock: 60 });
    const orders = [];
    for (let i = 0; i < 30; i++)
      orders.push(
        await makeOrder(em, { user, paymentMethod: 'bank_transfer', lines: [{ product, quantity: 2 }] }),
      );
    const ids = orders.map((o) => o.id);

    // Decide in batches while every order is being cancelled: each cancel lands before or after
    // its decision, never in the middle of it.
    const answers = await Promise.all([
      ...[0, 10, 20].map((k) => decide(ids.slice(k, k + 10))),
      ...ids.map((id) => cancel(id, token)),
    ]);

    const cancels = answers.slice(3) as Awaited<ReturnType<typeof cancel>>[];
    expect(cancels.filter((a) => a.status !== 200).map((a) => a.text)).toEqual([]);
    for (const id of ids) expect((await storedStatus(env, id)).status).toBe('cancelled');
    const row = await storedStock(env, product.id);
    expect(row.stock).toBe(60);
    const events = await productEvents(product.id);
    expect(events).toHaveLength(row.version - 1);
    expect(events.every((e) => e.stock >= 0)).toBe(true);
  });

  it('lets only the shop cancel a confirmed order; a paid one is then refunded', async () => {
    const { user, token } = await shopper();
    const em = env.orm.em.fork();
    const product = await makeProduct(em, { stock: 10 });
    const cod = await makeOrder(em, {
      user,
      paymentMethod: 'cash_on_delivery',
      lines: [{ product, quantity: 2 }],
    });
    const transfer = await makeOrder(em, {
      user,
      paymentMethod: 'bank_transfer',
      lines: [{ product, quantity: 3 }],
    });
    await decide([cod.id, transfer.id]);
    expect((await storedStatus(env, cod.id)).status).toBe('confirmed');
    const paid = await api.request('POST', `/api/v1/orders/${transfer.id}/payment/confirm`, {
      token: ADMIN_API_TOKEN,
      body: { amountCents: transfer.totalCents },
    });
    expect(paid.body).toMatchObject({ status: 'confirmed', payment: { status: 'paid' } });
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 5 });

    for (const order of [cod, transfer]) {
      const refused = await cancel(order.id, token);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/ask the shop/);
    }
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 5 });

    const byShop = await cancel(cod.id, ADMIN_API_TOKEN);
    expect(byShop.body).toMatchObject({ status: 'cancelled', payment: { status: 'expired' } });
    const refunded = await cancel(transfer.id, ADMIN_API_TOKEN);
    expect(refunded.body).toMatchObject({ status: 'cancelled', payment: { status: 'refunded' } });
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 10 });
  });
});
