import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { OrderProcessingService } from '@lapak/core';
import { checkoutBody, makeProduct, makeUser, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const env = useTestEnv({ ADMIN_API_TOKEN });
const api = useTestApi(env);
const { tokenFor } = userTokens(env);

/** A customer's checkout through the API, decided by the worker's service. */
async function placedAndDecided(method: 'bank_transfer' | 'cash_on_delivery', quantity = 2) {
  const em = env.orm.em.fork();
  const user = await makeUser(em);
  const token = await tokenFor(user);
  const product = await makeProduct(em, { stock: 10, priceCents: 12_500, currency: 'IDR' });
  const placed = await api.request('POST', '/api/v1/orders', {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: checkoutBody([{ productId: product.id, quantity }], method),
  });
  expect(placed.status).toBe(202);
  await new OrderProcessingService(env.orm.em.fork()).decide([placed.body.id]);
  const order = await api.request('GET', `/api/v1/orders/${placed.body.id}`, { token });
  return { token, product, order: order.body };
}

const confirm = (orderId: string, body: unknown, token = ADMIN_API_TOKEN) =>
  api.request('POST', `/api/v1/orders/${orderId}/payment/confirm`, { token, body });

async function stockOf(productId: string) {
  const { rows } = await sql<{ stock: number }>`select stock from products where id = ${productId}`.execute(
    env.db(),
  );
  return rows[0]!.stock;
}

describe('payments over HTTP', () => {
  it('shows a bank transfer awaiting payment with its instructions, and confirms it for an admin', async () => {
    const { token, product, order } = await placedAndDecided('bank_transfer');
    expect(order).toMatchObject({
      status: 'awaiting_payment',
      shippingAddress: { country: 'ID' },
      payment: {
        method: 'bank_transfer',
        status: 'pending',
        amountCents: 25_000,
        currency: 'IDR',
        paidAt: null,
        dueAt: expect.stringMatching(/Z$/),
      },
    });
    expect(order.payment.instructions).toContain(order.payment.reference);
    expect(order.payment.instructions).toContain('IDR');

    const byShopper = await confirm(order.id, { amountCents: 25_000 }, token);
    expect(byShopper.status).toBe(403);

    const paid = await confirm(order.id, { amountCents: 25_000, reference: order.payment.reference });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'confirmed', payment: { status: 'paid' } });
    expect(await stockOf(product.id)).toBe(8);

    const twice = await confirm(order.id, { amountCents: 25_000 });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'invalid_state', details: { status: 'confirmed' } });
  });

  it('answers a wrong amount 422, a wrong reference 422 and a cancelled order 409, changing nothing', async () => {
    const { token, product, order } = await placedAndDecided('bank_transfer');
    const wrong = await confirm(order.id, { amountCents: 24_999 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'payment_amount_mismatch' });
    expect(wrong.body.error.message).toContain('IDR');
    const other = await confirm(order.id, { amountCents: 25_000, reference: 'LP-0000-0000-0000' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('payment_reference_mismatch');
    expect((await api.request('GET', `/api/v1/orders/${order.id}`, { token })).body.status).toBe(
      'awaiting_payment',
    );

    expect((await api.request('POST', `/api/v1/orders/${order.id}/cancel`, { token })).body).toMatchObject({
      status: 'cancelled',
      payment: { status: 'expired' },
    });
    expect(await stockOf(product.id)).toBe(10);
    const late = await confirm(order.id, { amountCents: 25_000 });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('invalid_state');
  });

  it('confirms cash on delivery at once and refuses to take a transfer for it', async () => {
    const { order } = await placedAndDecided('cash_on_delivery');
    expect(order).toMatchObject({
      status: 'confirmed',
      payment: { method: 'cash_on_delivery', status: 'due_on_delivery', dueAt: null },
    });
    expect(order.payment.instructions).toMatch(/in cash to the courier/);
    expect((await confirm(order.id, { amountCents: order.totalCents })).status).toBe(409);
  });

  it('validates the confirmation: body, id, unknown order', async () => {
    const { order } = await placedAndDecided('bank_transfer');
    for (const [body, field] of [
      [{}, 'amountCents'],
      [{ amountCents: '25000' }, 'amountCents'],
      [{ amountCents: 1.5 }, 'amountCents'],
      [{ amountCents: -1 }, 'amountCents'],
      [{ amountCents: 25_000, reference: 'x'.repeat(41) }, 'reference'],
      [{ amountCents: 25_000, paid: true }, 'paid'],
    ] as const) {
      const res = await confirm(order.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.error.details)).toContain(field);
    }
    expect((await confirm('not-an-id', { amountCents: 1 })).status).toBe(400);
    expect((await confirm(randomUUID(), { amountCents: 1 })).status).toBe(404);
    expect(
      (await api.request('POST', `/api/v1/orders/${order.id}/payment/confirm`, { body: {} })).status,
    ).toBe(401);
  });
});

describe('shop settings over HTTP', () => {
  it('are read and changed by admins only, validated, and give new reservations their window', async () => {
    const customer = await tokenFor(await makeUser(env.orm.em.fork()));
    expect((await api.request('GET', '/api/v1/settings', { token: customer })).status).toBe(403);
    expect(
      (await api.request('PATCH', '/api/v1/settings', { token: customer, body: { shopName: 'X' } })).status,
    ).toBe(403);
    const before = await api.request('GET', '/api/v1/settings', { token: ADMIN_API_TOKEN });
    expect(before.body).toMatchObject({ paymentTtlSeconds: 86_400, shopName: expect.any(String) });

    for (const [body, field] of [
      [{}, ''],
      [{ paymentTtlSeconds: 5 }, 'paymentTtlSeconds'],
      [{ paymentTtlSeconds: 31 * 24 * 3600 }, 'paymentTtlSeconds'],
      [{ shopName: '  ' }, 'shopName'],
      [{ bankName: 'x'.repeat(101) }, 'bankName'],
      [{ currency: 'USD' }, 'currency'],
    ] as const) {
      const res = await api.request('PATCH', '/api/v1/settings', { token: ADMIN_API_TOKEN, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(Object.keys(res.body.error.details)).toContain(field);
    }
    expect((await api.request('GET', '/api/v1/settings', { token: ADMIN_API_TOKEN })).body).toEqual(
      before.body,
    );

    const changed = await api.request('PATCH', '/api/v1/settings', {
      token: ADMIN_API_TOKEN,
      body: { paymentTtlSeconds: 600, bankName: 'Bank Jaya' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      paymentTtlSeconds: 600,
      bankName: 'Bank Jaya',
      shopName: before.body.shopName,
    });

    const { order } = await placedAndDecided('bank_transfer');
    const window = Date.parse(order.payment.dueAt) - Date.parse(order.updatedAt);
    expect(window).toBeGreaterThan(590_000);
    expect(window).toBeLessThan(610_000);
    expect(order.payment.instructions).toContain('Bank Jaya');
    await api.request('PATCH', '/api/v1/settings', {
      token: ADMIN_API_TOKEN,
      body: { paymentTtlSeconds: 86_400 },
    });
  });
});
