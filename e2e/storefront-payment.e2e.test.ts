/**
 * Paying in the storefront, in Debian's Chromium against the whole stack: a bank transfer the
 * shop marks paid (the page turns confirmed without a reload), a transfer left unpaid past a
 * short deadline (the page turns to the expiry, the stock comes back), and cash on delivery with
 * the address remembered for the next checkout.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import {
  choosePayment,
  fillAddress,
  keyPage,
  markDocument,
  orderStatus,
  placeOrder,
  poll,
  sameDocument,
  sitiAddress,
  useStorefront,
} from './storefront/storefront-suite';
import type { Json } from './support/stack';

const env = useTestEnv();
// The sweeper runs every ORDER_PENDING_TIMEOUT_MS / 10: every 2 s here, so an unpaid transfer
// fails within seconds of its deadline rather than up to 30 s later.
const shop = useStorefront(env, { ORDER_PENDING_TIMEOUT_MS: 20_000 });
const stack = shop.stack;

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await stack.api.request(method, `/api/v1/${path}`, { token: stack.adminToken, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as Json;
};

/**
 * Sets the payment window for the orders placed inside `placing`, and puts the previous one back
 * as soon as they are decided: a reservation keeps the deadline it was given.
 */
async function withPaymentWindow<T>(seconds: number, placing: () => Promise<T>): Promise<T> {
  const previous = (await admin('GET', 'settings')).paymentTtlSeconds as number;
  await admin('PATCH', 'settings', { paymentTtlSeconds: seconds });
  try {
    return await placing();
  } finally {
    await admin('PATCH', 'settings', { paymentTtlSeconds: previous });
  }
}

/** Puts `quantity` of the product into the cart and opens the cart, ready to check out. */
async function toCheckout(page: Page, slug: string, quantity = 1) {
  await page.goto(`${shop.url}/products/${slug}`);
  const increase = page.getByRole('button', { name: 'Increase quantity' });
  for (let i = 1; i < quantity; i++) await increase.click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByTestId('cart-link').click();
  await page.getByTestId('checkout-details').waitFor();
}

const text = (page: Page, testid: string) => page.getByTestId(testid).textContent();

describe('paying in the storefront', () => {
  it('by bank transfer: instructions, reference and a countdown, then confirmed live once the shop records the money', async () => {
    await admin('PATCH', 'settings', {
      bankName: 'Bank Sejahtera',
      bankAccountNumber: '123-456-7890',
      bankAccountHolder: 'PT Lapak Nusantara',
    });
    const lamp = await shop.product('Rattan lamp', 4250, 4);
    const page = await shop.loggedIn('transfer', 'Siti');
    await toCheckout(page, lamp.slug, 2);
    await fillAddress(page, sitiAddress);
    expect(await page.getByTestId('payment-methods').getByLabel('Bank transfer').isChecked()).toBe(true);

    // Fifteen minutes to pay: the countdown then shows seconds, so it is seen ticking.
    const orderId = await withPaymentWindow(15 * 60, async () => {
      const id = await placeOrder(page);
      await orderStatus(page, 'awaiting_payment');
      return id;
    });
    const order = await admin('GET', `orders/${orderId}`);
    expect(order).toMatchObject({
      status: 'awaiting_payment',
      shippingAddress: { name: 'Siti Rahma', city: 'Yogyakarta', country: 'ID' },
      payment: { method: 'bank_transfer', status: 'pending', amountCents: 8500, currency: 'EUR' },
    });

    expect(await text(page, 'order-status')).toBe('Awaiting payment');
    // A status event brings the status; the payment's details come with the order read after it.
    await poll(() => text(page, 'order-status-text')).toMatch(
      /^Your items are reserved until .+\. Pay €85\.00 by then to confirm the order\.$/,
    );
    const instructions = await text(page, 'payment-instructions');
    expect(instructions).toContain('Bank Sejahtera, account 123-456-7890 (PT Lapak Nusantara)');
    expect(instructions).toContain(order.payment.reference);
    expect(await text(page, 'payment-reference')).toBe(order.payment.reference);
    expect(await text(page, 'payment-amount')).toBe('€85.00');
    expect(await page.getByTestId('payment-countdown').getAttribute('role')).toBe('timer');
    const first = await text(page, 'payment-countdown');
    expect(first).toMatch(/^1[45] min \d\d s$/);
    await poll(() => text(page, 'payment-countdown')).not.toBe(first);
    await keyPage(page, '12-order-awaiting-payment');

    // The shop sees the money arrive and records it; the page follows without a reload.
    await markDocument(page);
    const paid = await admin('POST', `orders/${orderId}/payment/confirm`, {
      amountCents: order.payment.amountCents,
      reference: order.payment.reference,
    });
    expect(paid).toMatchObject({ status: 'confirmed', payment: { status: 'paid' } });
    await orderStatus(page, 'confirmed');
    await poll(() => text(page, 'order-status-text')).toBe(
      'We received your payment. Your order is confirmed.',
    );
    expect(await text(page, 'order-status')).toBe('Confirmed');
    expect(await text(page, 'payment-method')).toBe('Bank transfer');
    expect(await page.getByTestId('payment-countdown').count()).toBe(0);
    expect(await sameDocument(page)).toBe(true);
    await keyPage(page, '13-order-paid');
  });

  it('left unpaid past a short deadline: the page turns to the expiry live and the stock comes back', async () => {
    const vase = await shop.product('Celadon vase', 6400, 3);
    const page = await shop.loggedIn('expiry', 'Budi');
    await toCheckout(page, vase.slug);
    await fillAddress(page, { ...sitiAddress, name: 'Budi Santoso' });

    const orderId = await withPaymentWindow(12, async () => {
      const id = await placeOrder(page);
      await orderStatus(page, 'awaiting_payment');
      return id;
    });
    expect(await text(page, 'payment-countdown')).toMatch(/^\d{1,2} s$/);
    await markDocument(page);
    // The product's stock is reserved for the order meanwhile.
    expect((await admin('GET', `products/${vase.id}`)).stock).toBe(2);

    // The countdown runs out; the page says so, then shows what became of the order. The notice
    // is on screen only until the expiry arrives (the sweeper may expire the order a moment after
    // the deadline), so the page itself records what it showed when the notice appeared.
    await page.evaluate(`(() => {
      const shown = (id) => document.querySelector('[data-testid=' + id + ']')?.textContent ?? null;
      new MutationObserver(() => {
        if (window.overdueSeen || !document.querySelector('[data-testid=payment-overdue]')) return;
        window.overdueSeen = { countdown: shown('payment-countdown'), announcement: shown('payment-announcement') };
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await orderStatus(page, 'failed');
    expect(await page.evaluate('window.overdueSeen')).toEqual({
      countdown: 'None',
      announcement: 'The time to pay has run out.',
    });
    expect(await text(page, 'order-status')).toBe('Payment expired');
    expect(await text(page, 'order-status-text')).toBe(
      'We did not receive your payment before the deadline, so the items went back on sale and nothing will be sent.',
    );
    expect(await page.getByTestId('order-payment').count()).toBe(0);
    expect(await sameDocument(page)).toBe(true);
    await keyPage(page, '14-order-payment-expired');

    expect(await admin('GET', `orders/${orderId}`)).toMatchObject({
      status: 'failed',
      failureReason: 'payment_expired',
      payment: { status: 'expired' },
    });
    expect((await admin('GET', `products/${vase.id}`)).stock).toBe(3);
    await page.getByRole('link', { name: 'All your orders' }).click();
    await page.getByTestId('order-list').waitFor();
    expect(await text(page, 'order-status')).toBe('Payment expired');
  });

  it('cash on delivery: confirmed at once, and the address and way to pay are offered again next time', async () => {
    const [mat, tray] = [await shop.product('Pandan mat', 3900, 5), await shop.product('Teak tray', 5200, 5)];
    const page = await shop.loggedIn('cod', 'Citra');
    await toCheckout(page, mat.slug);
    await fillAddress(page, { ...sitiAddress, name: 'Citra Dewi', line2: 'Blok C no. 4' });
    await choosePayment(page, 'Cash on delivery');
    await placeOrder(page);
    await orderStatus(page, 'confirmed');
    expect(await text(page, 'order-status')).toBe('Confirmed');
    await poll(() => text(page, 'order-status-text')).toBe(
      'Your order is confirmed. Please pay €39.00 in cash to the courier when it arrives.',
    );
    expect(await text(page, 'payment-method')).toBe('Cash on delivery');
    expect(await text(page, 'order-address')).toContain('Blok C no. 4');
    await keyPage(page, '15-order-cash-on-delivery');

    // The next checkout starts from what this one used.
    await toCheckout(page, tray.slug);
    const form = page.getByTestId('checkout-details');
    expect(await form.getByLabel('Full name').inputValue()).toBe('Citra Dewi');
    expect(await form.getByLabel('Address line 2 (optional)').inputValue()).toBe('Blok C no. 4');
    expect(await form.getByLabel('Postal code').inputValue()).toBe('55271');
    expect(await form.getByLabel('Country').inputValue()).toBe('ID');
    expect(await page.getByTestId('payment-methods').getByLabel('Cash on delivery').isChecked()).toBe(true);
    await placeOrder(page);
    await orderStatus(page, 'confirmed');

    await page.getByRole('link', { name: 'All your orders' }).click();
    await page.getByTestId('order-list').waitFor();
    expect(await page.getByTestId('order-payment-note').allTextContents()).toEqual([
      'Cash on delivery',
      'Cash on delivery',
    ]);
    await keyPage(page, '16-order-history-payments');
  });
});
