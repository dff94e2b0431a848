/**
 * The automation flows end to end: the real API and worker, the real n8n with the flows of
 * n8n-workflows/ (order-notifications-v1, stock-alerts-v1) and a real SMTP server (MailDev). An
 * order confirmed, failed (payment expired) and cancelled each brings the shopper the right mail;
 * stock falling under the shop's threshold brings the shop one alert; a redelivered event brings
 * no second mail.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaymentMethod } from '@lapak/contracts';
import { TokenService } from '@lapak/core';
import { checkoutBody, eventually, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
import { mailbox } from '../support/mailbox';
import { useStack, type Json } from '../support/stack';

const env = useTestEnv();
const stack = useStack(env, { ORDER_PENDING_TIMEOUT_MS: 20_000 });
const mails = mailbox();
const shopInbox = 'owner@lapak.example.com';

beforeAll(async () => {
  const res = await stack.api.request('PATCH', '/api/v1/settings', {
    token: stack.adminToken,
    body: { shopName: 'Toko Lapak', lowStockThreshold: 5 },
  });
  expect(res.status).toBe(200);
});

/** A checkout through the real API as `token`. */
async function placeOrder(token: string, productId: string, quantity: number, method: PaymentMethod) {
  const response = await stack.api.checkout(token, checkoutBody([{ productId, quantity }], method));
  expect(response.status).toBe(202);
  return response.body.id as string;
}

/** A new shopper checks out `quantity` units of a new product: the order, the shopper's email. */
async function checkout(method: PaymentMethod, options = { stock: 50, quantity: 2 }) {
  const email = `${randomUUID()}@shoppers.example.com`;
  const user = await makeUser(env.orm.em.fork(), { email, name: 'Siti' });
  const token = await new TokenService(env.config.JWT_SECRET, 3600).issue(user);
  const product = await makeProduct(env.orm.em.fork(), {
    name: 'Kopi Toraja',
    stock: options.stock,
    priceCents: 12_500_000,
    currency: 'IDR',
    status: 'published',
  });
  const orderId = await placeOrder(token, product.id, options.quantity, method);
  return { orderId, email, product };
}

const orderPage = (orderId: string) =>
  stack.api.request<Json>('GET', `/api/v1/orders/${orderId}`, { token: stack.adminToken });

describe('order-notifications v1', () => {
  it('a bank transfer: the mail with the payment instructions, then the confirmation once paid', async () => {
    const { orderId, email } = await checkout('bank_transfer');

    const [awaiting] = await mails.waitFor(email, 1);
    const order = (await orderPage(orderId)).body;
    expect(order.status).toBe('awaiting_payment');
    expect(awaiting!.subject).toBe('Toko Lapak: please pay for your order');
    expect(awaiting!.from[0]).toMatchObject({ address: 'shop@lapak.example.com', name: 'Toko Lapak' });
    expect(awaiting!.text).toContain('2 × Kopi Toraja');
    expect(awaiting!.text).toContain('Total: IDR 250,000');
    expect(awaiting!.text).toContain(`How to pay: ${order.payment.instructions}`);
    expect(awaiting!.text).toContain(order.payment.reference);

    const paid = await stack.api.request('POST', `/api/v1/orders/${orderId}/payment/confirm`, {
      token: stack.adminToken,
      body: { amountCents: order.totalCents },
    });
    expect(paid.status).toBe(200);
    const [, confirmed] = await mails.waitFor(email, 2);
    expect(confirmed!.subject).toBe('Toko Lapak: your order is confirmed');
    expect(confirmed!.text).toContain('We have received your payment of IDR 250,000.');
    expect(confirmed!.text).toContain(`Order ${orderId}`);
  });

  it('a payment not made by its deadline: the failure, in plain words', async () => {
    const { orderId, email } = await checkout('bank_transfer');
    await mails.waitFor(email, 1);
    await sql`update payments set due_at = now() - interval '1 second' where order_id = ${orderId}`.execute(
      env.db(),
    );

    const [, failed] = await mails.waitFor(email, 2);
    expect((await orderPage(orderId)).body).toMatchObject({
      status: 'failed',
      failureReason: 'payment_expired',
    });
    expect(failed!.subject).toBe('Toko Lapak: your order could not be completed');
    expect(failed!.text).toContain(
      'because we did not receive your payment before its deadline, so the items went back on sale',
    );
    expect(failed!.text).not.toContain('payment_expired');
  });

  it('cash on delivery: confirmed with what to pay the courier, then cancelled by the shop', async () => {
    const { orderId, email } = await checkout('cash_on_delivery');
    const [confirmed] = await mails.waitFor(email, 1);
    expect(confirmed!.subject).toBe('Toko Lapak: your order is confirmed');
    expect(confirmed!.text).toContain('in cash to the courier');

    const cancelled = await stack.api.request('POST', `/api/v1/orders/${orderId}/cancel`, {
      token: stack.adminToken,
    });
    expect(cancelled.status).toBe(200);
    const [, mail] = await mails.waitFor(email, 2);
    expect(mail!.subject).toBe('Toko Lapak: your order is cancelled');
    expect(mail!.text).toContain('Your order at Toko Lapak has been cancelled.');
  });

  it('sends no second mail when an event is delivered again, and logs every delivery', async () => {
    const { orderId, email } = await checkout('cash_on_delivery');
    await mails.waitFor(email, 1);
    const { rows } = await sql<{ seq: string; event_id: string }>`
      select seq, event_id from outbox_events where aggregate_id = ${orderId} and type = 'order.confirmed'`.execute(
      env.db(),
    );
    const [event] = rows;
    await sql`update outbox_events set relayed_at = null where seq = ${event!.seq}`.execute(env.db());

    const stale = await eventually('the redelivery answered', async () => {
      const { rows: log } = await sql<{ status: string; flow_version: string }>`
        select status, flow_version from sync_deliveries where event_id = ${event!.event_id} order by id`.execute(
        env.db(),
      );
      return log.length >= 2 ? log : null;
    });
    expect(stale).toEqual([
      { status: 'applied', flow_version: 'order-notifications-v1' },
      { status: 'stale', flow_version: 'order-notifications-v1' },
    ]);
    expect(await mails.to(email)).toHaveLength(1);
  });
});

describe('stock-alerts v1', () => {
  it('one alert to the shop when a product falls under the threshold, none for each sale after', async () => {
    const first = await checkout('cash_on_delivery', { stock: 6, quantity: 2 });
    const sku = first.product.sku;
    const alerts = async () => (await mails.to(shopInbox)).filter((mail) => mail.subject.includes(sku));
    await eventually('the alert', async () => (await alerts()).length === 1, 60_000);
    const [alert] = await alerts();
    expect(alert!.subject).toBe(`Toko Lapak: Kopi Toraja (${sku}) is running low`);
    expect(alert!.text).toContain('fell to 4, below the alert threshold of 5');

    // Another sale of the same product, already under the threshold: its confirmation, no alert.
    const user = await makeUser(env.orm.em.fork(), { email: `${randomUUID()}@shoppers.example.com` });
    const token = await new TokenService(env.config.JWT_SECRET, 3600).issue(user);
    await placeOrder(token, first.product.id, 1, 'cash_on_delivery');
    await mails.waitFor(user.email, 1);
    await eventually('the sale delivered', async () => {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from outbox_events where relayed_at is null`.execute(env.db());
      return Number(rows[0]!.n) === 0;
    });
    expect(await alerts()).toHaveLength(1);
  });
});
