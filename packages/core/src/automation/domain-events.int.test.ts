import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { domainEventSchema, type DomainEvent } from '@lapak/contracts';
import { OrderCancelService } from '../orders/order-cancel.service';
import { OrderProcessingService } from '../orders/order-processing.service';
import { PaymentService } from '../payments/payment.service';
import { ShopSettingsService } from '../settings/shop-settings.service';
import { makeOrder, makeProduct, makeUser, useTestEnv } from '../testing';
import { DomainEventRepository } from './domain-event.repository';

const env = useTestEnv();
const noPublish = async () => {};
const admin = { userId: '01900000-0000-7000-8000-000000000001', role: 'admin' as const };

/** The domain events the outbox holds about `aggregateId`, as the flows receive them. */
async function eventsOf(aggregateId: string): Promise<DomainEvent[]> {
  const { rows } = await sql<{ seq: string }>`
    select seq from outbox_events
     where aggregate_id = ${aggregateId} and type not in ('product.upserted', 'product.deleted')
     order by seq`.execute(env.db());
  const records = await new DomainEventRepository(env.orm.em.fork()).findBySeqs(
    rows.map((r) => Number(r.seq)),
  );
  return records.map((record) => domainEventSchema.parse(record.wire));
}

const setStock = (productId: string, stock: number) =>
  sql`update products set stock = ${stock}, version = version + 1 where id = ${productId}`.execute(env.db());

async function shop(stock = 10) {
  const em = env.orm.em.fork();
  const user = await makeUser(em, { email: `${env.unique('shopper')}@example.com`, name: 'Siti' });
  const product = await makeProduct(em, { stock, priceCents: 2500, currency: 'IDR', name: 'Kopi Toraja' });
  const place = (paymentMethod: 'bank_transfer' | 'cash_on_delivery', quantity = 2) =>
    makeOrder(em, { user, paymentMethod, lines: [{ product, quantity }] });
  return { user, product, place };
}

describe('order domain events', () => {
  it('are written with the status change, carrying what the mail needs: lines, total, payment and its instructions', async () => {
    const { user, place } = await shop();
    const order = await place('bank_transfer', 2);

    await new OrderProcessingService(env.orm.em.fork()).decide([order.id]);

    const [awaiting, ...rest] = await eventsOf(order.id);
    expect(rest).toEqual([]);
    expect(awaiting).toMatchObject({
      type: 'order.awaiting_payment',
      schemaVersion: 1,
      aggregate: { type: 'order', id: order.id },
      data: {
        orderId: order.id,
        status: 'awaiting_payment',
        failureReason: null,
        customer: { email: user.email, name: 'Siti' },
        lines: [
          {
            sku: expect.any(String),
            name: 'Kopi Toraja',
            variantId: expect.any(String),
            optionValues: {},
            quantity: 2,
            unitPriceCents: 2500,
            lineTotalCents: 5000,
          },
        ],
        totalCents: 5000,
        currency: 'IDR',
        shippingAddress: { city: expect.any(String) },
        payment: { method: 'bank_transfer', status: 'pending', amountCents: 5000, dueAt: expect.any(String) },
        shop: { name: 'Lapak' },
      },
    });
    const payment = awaiting!.type === 'stock.low' ? null : awaiting!.data.payment;
    expect(payment?.instructions).toContain(payment?.reference);
    expect(payment?.instructions).toMatch(/^Transfer IDR/);
  });

  it('follow an order through payment, cancellation and expiry, one event per change', async () => {
    const { place } = await shop();
    const paid = await place('bank_transfer');
    const cancelled = await place('cash_on_delivery');
    const expired = await place('bank_transfer');
    await new OrderProcessingService(env.orm.em.fork()).decide([paid.id, cancelled.id, expired.id]);
    const payments = new PaymentService(env.orm.em.fork(), noPublish);

    await payments.confirm(paid.id, { amountCents: 5000 });
    await new OrderCancelService(env.orm.em.fork(), noPublish).cancel(admin, cancelled.id);
    await sql`update payments set due_at = now() - interval '1 second' where order_id = ${expired.id}`.execute(
      env.db(),
    );
    await payments.expireDue(10);

    const types = async (id: string) => (await eventsOf(id)).map((event) => event.type);
    expect(await types(paid.id)).toEqual(['order.awaiting_payment', 'order.confirmed']);
    expect(await types(cancelled.id)).toEqual(['order.confirmed', 'order.cancelled']);
    expect(await types(expired.id)).toEqual(['order.awaiting_payment', 'order.failed']);
    const [, failed] = await eventsOf(expired.id);
    expect(failed?.data).toMatchObject({
      status: 'failed',
      failureReason: 'payment_expired',
      payment: { status: 'expired' },
    });
    const [, confirmed] = await eventsOf(paid.id);
    expect(confirmed?.data).toMatchObject({ payment: { status: 'paid', paidAt: expect.any(String) } });
  });

  it('a failure decided by the worker is an event too; a status change rolled back leaves none', async () => {
    const { product, place } = await shop(1);
    const soldOut = await place('bank_transfer', 2);
    await new OrderProcessingService(env.orm.em.fork()).decide([soldOut.id]);
    expect(
      (await eventsOf(soldOut.id)).map((e) => [e.type, 'failureReason' in e.data && e.data.failureReason]),
    ).toEqual([['order.failed', 'out_of_stock']]);

    const other = await place('cash_on_delivery', 1);
    await expect(
      env.orm.em.fork().transactional(async (em) => {
        await sql`update orders set status = 'cancelled' where id = ${other.id}`.execute(em.getKysely());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await eventsOf(other.id)).toEqual([]);
    expect(product.id).toBeDefined();
  });
});

describe('stock.low', () => {
  it('is raised once when stock crosses below the threshold, whoever lowers it, and again after a restock', async () => {
    const { product, place } = await shop(7);
    const settings = new ShopSettingsService(env.orm.em.fork());
    expect((await settings.get()).lowStockThreshold).toBe(5);

    await setStock(product.id, 5); // 7 → 5: not below 5
    expect(await eventsOf(product.id)).toEqual([]);

    const order = await place('cash_on_delivery', 1); // 5 → 4 by a reservation: below
    await new OrderProcessingService(env.orm.em.fork()).decide([order.id]);
    await setStock(product.id, 2); // 4 → 2: already below
    await setStock(product.id, 9); // restock
    await setStock(product.id, 0); // 9 → 0: below again

    const events = await eventsOf(product.id);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        productId: product.id,
        sku: product.sku,
        name: 'Kopi Toraja',
        stock: 4,
        threshold: 5,
      }),
      expect.objectContaining({ stock: 0, threshold: 5 }),
    ]);
    expect(events[0]).toMatchObject({ type: 'stock.low', aggregate: { type: 'product', id: product.id } });
  });

  it('follows the threshold an admin sets; 0 turns it off', async () => {
    const { product } = await shop(30);
    const settings = new ShopSettingsService(env.orm.em.fork());
    try {
      await settings.update({ lowStockThreshold: 20 });
      await setStock(product.id, 19);
      await settings.update({ lowStockThreshold: 0 });
      await setStock(product.id, 30);
      await setStock(product.id, 0);
      expect((await eventsOf(product.id)).map((e) => e.data)).toEqual([
        expect.objectContaining({ stock: 19, threshold: 20 }),
      ]);
    } finally {
      await settings.update({ lowStockThreshold: 5 });
    }
  });

  it('stock_fell_below holds the one rule of a crossing', async () => {
    const cases: [number, number, number, boolean][] = [
      [6, 4, 5, true],
      [5, 4, 5, true],
      [5, 5, 5, false],
      [4, 3, 5, false],
      [9, 0, 5, true],
      [9, 0, 0, false],
      [3, 9, 5, false],
    ];
    for (const [before, after, threshold, expected] of cases) {
      const { rows } = await sql<{
        fell: boolean;
      }>`select stock_fell_below(${before}, ${after}, ${threshold}) as fell`.execute(env.db());
      expect([before, after, threshold, rows[0]!.fell]).toEqual([before, after, threshold, expected]);
    }
  });
});
