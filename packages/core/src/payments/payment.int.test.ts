import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { PaymentMethod } from '@lapak/contracts';
import type { OrderStatusEvent } from '../orders/order-status-events';
import { OrderProcessingService } from '../orders/order-processing.service';
import { makeOrder, makeProduct, makeUser, storedStock, useTestEnv } from '../testing';
import { paymentProviders } from './payment-provider';
import { PaymentService } from './payment.service';

const env = useTestEnv();

async function orderRow(id: string) {
  const { rows } = await sql<{
    status: string;
    failure_reason: string | null;
    payment_status: string | null;
    reference: string | null;
    amount_cents: number | null;
    due_at: Date | null;
  }>`
    select o.status, o.failure_reason, pm.status as payment_status, pm.reference, pm.amount_cents::int, pm.due_at
      from orders o left join payments pm on pm.order_id = o.id where o.id = ${id}`.execute(env.db());
  return rows[0]!;
}

/** Moves the deadlines of these orders' payments into the past. */
const overdue = (ids: string[]) =>
  sql`update payments set due_at = now() - interval '1 second' where order_id = any(${ids}::uuid[])`.execute(
    env.db(),
  );

const decide = (ids: string[]) => new OrderProcessingService(env.orm.em.fork()).decide(ids);

function paymentService() {
  const published: OrderStatusEvent[] = [];
  const service = new PaymentService(env.orm.em.fork(), async (events) => {
    published.push(...events);
  });
  return { service, published };
}

async function setup(stock: number) {
  const em = env.orm.em.fork();
  const user = await makeUser(em);
  const product = await makeProduct(em, { stock, priceCents: 2500, currency: 'IDR' });
  /** An order of `quantity` units of the product, pending. */
  const place = (paymentMethod: PaymentMethod, quantity: number) =>
    makeOrder(em, { user, paymentMethod, lines: [{ product, quantity }] });
  return { product, place };
}

describe('payments', () => {
  it('reserve stock per the provider of each method: a transfer awaits payment, cash on delivery is confirmed', async () => {
    const { product, place } = await setup(10);
    const transfer = await place('bank_transfer', 2);
    const cod = await place('cash_on_delivery', 3);
    const before = Date.now();

    await decide([transfer.id, cod.id]);

    for (const [order, method] of [
      [transfer, 'bank_transfer'],
      [cod, 'cash_on_delivery'],
    ] as const) {
      const row = await orderRow(order.id);
      expect(row.status).toBe(paymentProviders[method].reserved.orderStatus);
      expect(row.payment_status).toBe(paymentProviders[method].reserved.paymentStatus);
      expect(row.amount_cents).toBe(order.totalCents);
      expect(row.reference).toMatch(/^LP-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    }
    // The default window is a day.
    const dueAt = (await orderRow(transfer.id)).due_at!.getTime();
    expect(dueAt - before).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(dueAt - before).toBeLessThan(24 * 3600_000 + 60_000);
    expect((await orderRow(cod.id)).due_at).toBeNull();
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 5 });
  });

  it('confirm a transfer only for the exact amount and its own reference, and only once', async () => {
    const { product, place } = await setup(10);
    const order = await place('bank_transfer', 2);
    await decide([order.id]);
    const { reference } = await orderRow(order.id);
    const { service, published } = paymentService();

    await expect(service.confirm(order.id, { amountCents: 4999 })).rejects.toMatchObject({
      code: 'payment_amount_mismatch',
    });
    await expect(
      service.confirm(order.id, { amountCents: 5000, reference: 'LP-0000-0000-0000' }),
    ).rejects.toMatchObject({
      code: 'payment_reference_mismatch',
    });
    expect(await orderRow(order.id)).toMatchObject({ status: 'awaiting_payment', payment_status: 'pending' });

    const paid = await service.confirm(order.id, { amountCents: 5000, reference: reference!.toLowerCase() });
    expect(paid).toMatchObject({
      status: 'confirmed',
      payment: { status: 'paid', paidAt: expect.any(String) },
    });
    expect(published).toEqual([expect.objectContaining({ orderId: order.id, status: 'confirmed' })]);

    await expect(service.confirm(order.id, { amountCents: 5000 })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    expect(await storedStock(env, product.id)).toMatchObject({ stock: 8 });
  });

  it('refuse to confirm cash on delivery, a pending order and a missing one', async () => {
    const { place } = await setup(10);
    const cod = await place('cash_on_delivery', 1);
    const pending = await place('bank_transfer', 1);
    await decide([cod.id]);
    const { service } = paymentService();
    await expect(service.confirm(cod.id, { amountCents: 2500 })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await expect(service.confirm(pending.id, { amountCents: 2500 })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await expect(
      service.confirm('01900000-0000-7000-8000-000000000000', { amountCents: 1 }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('expire unpaid transfers past their deadline: stock back with its events, payment expired, others untouched', async () => {
    const { product, place } = await setup(10);
    const late = await place('bank_transfer', 3);
    const onTime = await place('bank_transfer', 2);
    const cod = await place('cash_on_delivery', 1);
    await decide([late.id, onTime.id, cod.id]);
    await overdue([late.id, cod.id]);
    const versionBefore = (await storedStock(env, product.id)).version;
    const { service, published } = paymentService();

    const expired = await service.expireDue(100);

    expect(expired.map((o) => [o.id, o.status, o.failureReason])).toEqual([
      [late.id, 'failed', 'payment_expired'],
    ]);
    expect(published).toEqual([
      expect.objectContaining({ orderId: late.id, failureReason: 'payment_expired' }),
    ]);
    expect(await orderRow(late.id)).toMatchObject({ payment_status: 'expired' });
    expect(await orderRow(onTime.id)).toMatchObject({
      status: 'awaiting_payment',
      payment_status: 'pending',
    });
    expect(await orderRow(cod.id)).toMatchObject({ status: 'confirmed', payment_status: 'due_on_delivery' });
    expect(await storedStock(env, product.id)).toEqual({ stock: 7, version: versionBefore + 1 });
    const { rows: events } = await sql<{ version: number; stock: number }>`
      select aggregate_version as version, (payload->>'stock')::int as stock from outbox_events
       where aggregate_id = ${product.id} order by seq desc limit 1`.execute(env.db());
    expect(events).toEqual([{ version: versionBefore + 1, stock: 7 }]);

    expect(await service.expireDue(100)).toEqual([]);
    await expect(service.confirm(late.id, { amountCents: late.totalCents })).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });

  it('expire each order exactly once when several sweeps and payments race', async () => {
    const { product, place } = await setup(1000);
    const orders = [];
    for (let i = 0; i < 120; i++) {
      orders.push(await place('bank_transfer', 2));
    }
    const ids = orders.map((o) => o.id);
    await decide(ids);
    await overdue(ids);
    const payers = ids.slice(0, 20);

    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => paymentService().service.expireDue(25)),
      ...Array.from({ length: 4 }, () => paymentService().service.expireDue(25)),
      ...payers.map((id) => paymentService().service.confirm(id, { amountCents: 5000 })),
    ]);
    // Whatever is left after the race goes in one last sweep.
    const last = await paymentService().service.expireDue(1000);

    const sweeps = results
      .slice(0, 8)
      .flatMap((r) => (r.status === 'fulfilled' ? (r.value as { id: string }[]) : []));
    const expiredIds = [...sweeps.map((o) => o.id), ...last.map((o) => o.id)];
    expect(new Set(expiredIds).size).toBe(expiredIds.length);
    const paidCount = results.slice(8).filter((r) => r.status === 'fulfilled').length;
    expect(expiredIds.length + paidCount).toBe(120);
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from orders where id = any(${ids}::uuid[]) group by status`.execute(
      env.db(),
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(byStatus).toEqual({
      failed: expiredIds.length,
      ...(paidCount > 0 ? { confirmed: paidCount } : {}),
    });
    // Units: 1000 at the start, 2 held per paid order, the rest back on the shelf.
    expect((await storedStock(env, product.id)).stock).toBe(1000 - 2 * paidCount);
  });
});
