import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TokenService } from '@lapak/core';
import { checkoutBody, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const env = useTestEnv({
  ADMIN_API_TOKEN,
  CHECKOUT_RATE_LIMIT_PER_USER: '4',
  CHECKOUT_RATE_LIMIT_WINDOW_SECONDS: '60',
});
const api = useTestApi(env);

async function shopper() {
  const user = await makeUser(env.orm.em.fork());
  return new TokenService(env.config.JWT_SECRET, 3600).issue(user);
}

const checkout = (token: string, body: unknown, key = randomUUID()) =>
  api.request('POST', '/api/v1/orders', { token, headers: { 'Idempotency-Key': key }, body });

const settings = (body: object) => api.request('PATCH', '/api/v1/settings', { token: ADMIN_API_TOKEN, body });

async function orderCount() {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from orders`.execute(
    env.orm.em.fork().getKysely(),
  );
  return rows[0]!.n;
}

describe('checkout limits', () => {
  it('refuses a shopper placing orders too fast with 429 and Retry-After, but never a retry', async () => {
    await settings({ maxOpenOrdersPerUser: 100 });
    const product = await makeProduct(env.orm.em.fork(), { stock: 100 });
    const token = await shopper();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);
    const firstKey = randomUUID();
    expect((await checkout(token, body, firstKey)).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await checkout(token, body)).status).toBe(202);

    const before = await orderCount();
    const refused = await checkout(token, body);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/too many orders/i),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await orderCount()).toBe(before);

    const retry = await checkout(token, body, firstKey);
    expect(retry.status).toBe(200);
    expect((await checkout(await shopper(), body)).status).toBe(202);
    await settings({ maxOpenOrdersPerUser: 5 });
  });

  it("caps a shopper's open orders at the shop's setting; a cancelled one frees a place", async () => {
    await settings({ maxOpenOrdersPerUser: 2 });
    const product = await makeProduct(env.orm.em.fork(), { stock: 100 });
    const token = await shopper();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);
    const first = await checkout(token, body);
    const firstKey = randomUUID();
    expect((await checkout(token, body, firstKey)).status).toBe(202);

    const before = await orderCount();
    const third = await checkout(token, body);
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/2 orders waiting/);
    expect(third.headers.get('retry-after')).toBe('60');
    expect(await orderCount()).toBe(before);
    expect((await checkout(token, body, firstKey)).status).toBe(200);

    expect((await api.request('POST', `/api/v1/orders/${first.body.id}/cancel`, { token })).status).toBe(200);
    expect((await checkout(token, body)).status).toBe(202);
    await settings({ maxOpenOrdersPerUser: 5 });
  });

  it("refuses a line over the shop's units per line with 409 naming it, writing nothing", async () => {
    await settings({ maxUnitsPerLine: 5 });
    const em = env.orm.em.fork();
    const kopi = await makeProduct(em, { stock: 100 });
    const teh = await makeProduct(em, { stock: 100 });
    const token = await shopper();
    const before = await orderCount();

    const res = await checkout(
      token,
      checkoutBody([
        { productId: kopi.id, quantity: 5 },
        { productId: teh.id, quantity: 6 },
      ]),
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'quantity_limit_exceeded',
      details: { 'items.1.quantity': 'must be at most 5' },
    });
    expect(await orderCount()).toBe(before);
    expect((await checkout(token, checkoutBody([{ productId: teh.id, quantity: 5 }]))).status).toBe(202);
    await settings({ maxUnitsPerLine: 20 });
  });
});
