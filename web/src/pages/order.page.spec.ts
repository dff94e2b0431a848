import type { AuthResult, Order } from '@lapak/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { createShopRouter } from '../router';
import { useAuthStore } from '../stores/auth.store';
import { awaitingPayment, makeAuthResult, makeOrder, makeToken, secondsFromNow } from '../testing/factories';
import { isolateShopTests, mountShop } from '../testing/mount-shop';
import { signIn } from '../testing/sign-in';

const session = makeAuthResult();
const order = makeOrder();
const orderId = order.id;

/** An SSE response whose events the test sends one at a time. */
function controllableStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const send = (
    status: Order['status'],
    failureReason: Order['failureReason'] = null,
    updatedAt = order.updatedAt,
  ) =>
    controller.enqueue(
      new TextEncoder().encode(
        `event: status\ndata: ${JSON.stringify({ orderId, status, failureReason, updatedAt })}\n\n`,
      ),
    );
  return {
    response: new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    send,
    end: () => controller.close(),
  };
}

interface PageOptions {
  /** The answers to successive stream requests, the last one repeated (default: `stream`'s). */
  responses?: Response[];
  /** What the refresh cookie gets once signed in: a renewed session, or the API's refusal. */
  renewal?: AuthResult | ApiError;
}

/** The shop on the order's page, its API answering `reads` in turn, its status stream `stream`. */
async function openOrderPage(reads: Order[], stream = controllableStream(), options: PageOptions = {}) {
  const read = vi.spyOn(api, 'order');
  for (const answer of reads.slice(0, -1)) read.mockResolvedValueOnce(answer);
  read.mockResolvedValue(reads.at(-1)!);
  const responses = [...(options.responses ?? [stream.response])];
  const fetchMock = vi.fn(async () => (responses.length > 1 ? responses.shift()! : responses[0]!));
  vi.stubGlobal('fetch', fetchMock);

  const { wrapper } = await mountShop(`/orders/${orderId}`, async () => {
    await signIn(session);
    const { renewal } = options;
    if (renewal instanceof ApiError) vi.spyOn(api, 'refresh').mockRejectedValue(renewal);
    else if (renewal) vi.spyOn(api, 'refresh').mockResolvedValue(renewal);
  });
  return { wrapper, stream, read, fetchMock };
}

const text = (wrapper: VueWrapper, testid: string) => wrapper.get(`[data-testid=${testid}]`).text();

/** The bearer token each stream request sent. */
const streamTokens = (fetchMock: { mock: { calls: unknown[][] } }) =>
  fetchMock.mock.calls.map((call) => new Headers((call[1] as RequestInit).headers).get('Authorization'));

/** The session after a renewal: another token for Ana. */
const renewed = makeAuthResult(makeToken({ sub: 'u1', jti: 'renewed', exp: secondsFromNow(3600) }));

describe('order page', () => {
  isolateShopTests();

  it('shows pending, then the failure and its reason in plain words as the stream reports it', async () => {
    const failedAt = '2026-11-22T10:00:02.000Z';
    const failed: Order = { ...order, status: 'failed', failureReason: 'out_of_stock', updatedAt: failedAt };
    const { wrapper, stream, fetchMock } = await openOrderPage([order, failed]);

    const live = wrapper.get('[data-testid=order-status-live]');
    expect(live.attributes('aria-live')).toBe('polite');
    expect(text(wrapper, 'order-status')).toBe('Processing');
    expect(text(wrapper, 'order-total')).toBe('€37.00');
    expect(text(wrapper, 'order-address')).toContain('Jl. Malioboro 12');
    expect(text(wrapper, 'order-address')).toContain('55271 Yogyakarta');
    expect(text(wrapper, 'order-address')).toContain('Indonesia');
    expect(wrapper.find('[data-testid=order-payment]').exists()).toBe(false);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toMatch(new RegExp(`/api/v1/orders/${orderId}/events$`));
    expect(new Headers(init.headers).get('Authorization')).toBe(`Bearer ${session.token}`);

    stream.send('pending');
    stream.send('failed', 'out_of_stock', failedAt);
    stream.end();
    await vi.waitFor(() => expect(text(wrapper, 'order-status')).toBe('Failed'));
    expect(text(wrapper, 'order-status-text')).toBe(
      'Some items sold out before we could reserve them, so nothing was ordered.',
    );
    expect(document.title).toBe('Order 0000A1B2: Failed · Lapak');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });

  it('awaiting payment: instructions, reference, amount and a ticking deadline; paid turns it confirmed live', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
    const dueAt = '2026-11-22T10:06:05.000Z';
    const awaiting = awaitingPayment(order, dueAt, '2026-11-22T10:00:01.000Z');
    const paid: Order = {
      ...awaiting,
      status: 'confirmed',
      updatedAt: '2026-11-22T10:02:00.000Z',
      payment: { ...awaiting.payment!, status: 'paid', paidAt: '2026-11-22T10:02:00.000Z' },
    };
    const { wrapper, stream, read } = await openOrderPage([awaiting, paid]);

    expect(text(wrapper, 'order-status')).toBe('Awaiting payment');
    expect(text(wrapper, 'order-status-text')).toMatch(
      /^Your items are reserved until .+\. Pay €37\.00 by then/,
    );
    expect(text(wrapper, 'payment-instructions')).toContain('write LPK-7Q4M-9XZ2 as the transfer');
    expect(text(wrapper, 'payment-amount')).toBe('€37.00');
    expect(text(wrapper, 'payment-reference')).toBe('LPK-7Q4M-9XZ2');
    expect(text(wrapper, 'payment-countdown')).toBe('6 min 05 s');
    expect(wrapper.get('[data-testid=payment-countdown]').attributes('role')).toBe('timer');
    expect(wrapper.text()).toContain('This page updates by itself.');

    // The countdown ticks; only crossing five minutes is announced, not each second.
    vi.advanceTimersByTime(1000);
    await flushPromises();
    expect(text(wrapper, 'payment-countdown')).toBe('6 min 04 s');
    expect(text(wrapper, 'payment-announcement')).toBe('');
    vi.advanceTimersByTime(64_000);
    await flushPromises();
    expect(text(wrapper, 'payment-countdown')).toBe('5 min 00 s');
    expect(text(wrapper, 'payment-announcement')).toBe('Five minutes left to pay.');

    stream.send('awaiting_payment', null, awaiting.updatedAt);
    stream.send('confirmed', null, paid.updatedAt);
    stream.end();
    await vi.waitFor(() => expect(text(wrapper, 'order-status')).toBe('Confirmed'));
    // The status event carries no payment: the order is read again for it.
    await vi.waitFor(() =>
      expect(text(wrapper, 'order-status-text')).toBe('We received your payment. Your order is confirmed.'),
    );
    expect(read).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-testid=payment-countdown]').exists()).toBe(false);
    expect(text(wrapper, 'payment-method')).toBe('Bank transfer');
    expect(wrapper.text()).not.toContain('This page updates by itself.');
    wrapper.unmount();
  });

  it('says when the time to pay has run out, then shows the expiry in plain words', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
    const awaiting = awaitingPayment(order, '2026-11-22T10:00:03.000Z', '2026-11-22T10:00:01.000Z');
    const expired: Order = {
      ...awaiting,
      status: 'failed',
      failureReason: 'payment_expired',
      updatedAt: '2026-11-22T10:00:05.000Z',
      payment: { ...awaiting.payment!, status: 'expired' },
    };
    const { wrapper, stream } = await openOrderPage([awaiting, expired]);
    expect(text(wrapper, 'payment-countdown')).toBe('3 s');

    vi.advanceTimersByTime(3000);
    await flushPromises();
    expect(text(wrapper, 'payment-countdown')).toBe('None');
    expect(text(wrapper, 'payment-overdue')).toContain('The time to pay has run out.');
    expect(text(wrapper, 'payment-announcement')).toBe('The time to pay has run out.');

    stream.send('failed', 'payment_expired', expired.updatedAt);
    stream.end();
    await vi.waitFor(() => expect(text(wrapper, 'order-status')).toBe('Payment expired'));
    expect(text(wrapper, 'order-status-text')).toBe(
      'We did not receive your payment before the deadline, so the items went back on sale and nothing will be sent.',
    );
    expect(wrapper.find('[data-testid=order-payment]').exists()).toBe(false);
    expect(document.title).toBe('Order 0000A1B2: Payment expired · Lapak');
    wrapper.unmount();
  });

  it('cash on delivery reads as confirmed, with the amount to have ready for the courier', async () => {
    const confirmed: Order = {
      ...order,
      status: 'confirmed',
      payment: {
        method: 'cash_on_delivery',
        status: 'due_on_delivery',
        reference: 'LPK-COD1-2345',
        amountCents: 3700,
        currency: 'EUR',
        dueAt: null,
        paidAt: null,
        instructions: 'Pay EUR 37.00 in cash to the courier when your parcel from Lapak arrives.',
      },
    };
    const stream = controllableStream();
    const { wrapper } = await openOrderPage([confirmed], stream);
    stream.send('confirmed');
    stream.end();
    await flushPromises();

    expect(text(wrapper, 'order-status')).toBe('Confirmed');
    expect(text(wrapper, 'order-status-text')).toBe(
      'Your order is confirmed. Please pay €37.00 in cash to the courier when it arrives.',
    );
    expect(text(wrapper, 'payment-method')).toBe('Cash on delivery');
    expect(wrapper.text()).toContain('To pay on delivery');
    wrapper.unmount();
  });

  it('names each line’s variant by its option values', async () => {
    const withVariants = makeOrder({
      status: 'confirmed',
      items: [
        {
          productId: 'k1',
          variantId: 'v500',
          optionValues: { Weight: '500 g', Grind: 'Whole bean' },
          sku: 'KOPI-500-W',
          name: 'Kopi Gayo',
          unitPriceCents: 1800,
          quantity: 1,
        },
        {
          productId: 'p1',
          variantId: 'vp1',
          optionValues: {},
          sku: 'MUG-1',
          name: 'Mug',
          unitPriceCents: 1900,
          quantity: 1,
        },
      ],
    });
    const { wrapper } = await openOrderPage([withVariants]);
    const rows = wrapper.findAll('tbody tr');
    expect(rows[0]!.get('[data-testid=line-options]').text()).toBe('Weight: 500 g, Grind: Whole bean');
    expect(rows[1]!.find('[data-testid=line-options]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('keeps the newer order when a slow read answers after a newer status', async () => {
    const awaiting = awaitingPayment(order, '2099-01-01T00:00:00.000Z', '2026-11-22T10:00:01.000Z');
    let answerSlowRead!: (value: Order) => void;
    const read = vi.spyOn(api, 'order');
    read.mockResolvedValueOnce(order);
    read.mockReturnValueOnce(new Promise<Order>((resolve) => (answerSlowRead = resolve)));
    read.mockResolvedValue({ ...awaiting, status: 'cancelled', updatedAt: '2026-11-22T10:00:09.000Z' });
    const stream = controllableStream();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => stream.response),
    );
    const { wrapper } = await mountShop(`/orders/${orderId}`, () => signIn(session));

    stream.send('awaiting_payment', null, awaiting.updatedAt);
    stream.send('cancelled', null, '2026-11-22T10:00:09.000Z');
    stream.end();
    await vi.waitFor(() => expect(text(wrapper, 'order-status')).toBe('Cancelled'));
    answerSlowRead(awaiting);
    await flushPromises();
    expect(text(wrapper, 'order-status')).toBe('Cancelled');
    wrapper.unmount();
  });

  it('connects again with the token renewed since the stream opened', async () => {
    const awaiting = awaitingPayment(order, '2099-01-01T00:00:00.000Z', '2026-11-22T10:00:01.000Z');
    const [first, second] = [controllableStream(), controllableStream()];
    const { wrapper, fetchMock } = await openOrderPage([awaiting], first, {
      responses: [first.response, second.response],
      renewal: renewed,
    });
    first.send('awaiting_payment', null, awaiting.updatedAt);
    await useAuthStore().renew();

    // The API ends a stream at the end of its lifetime; the page connects again.
    first.end();
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2), { timeout: 3000 });
    expect(streamTokens(fetchMock)).toEqual([`Bearer ${session.token}`, `Bearer ${renewed.token}`]);
    second.send('awaiting_payment', null, awaiting.updatedAt);
    await flushPromises();
    expect(text(wrapper, 'order-status')).toBe('Awaiting payment');
    wrapper.unmount();
  });

  it('a stream refused for its token gets one renewal and connects again at once', async () => {
    const awaiting = awaitingPayment(order, '2099-01-01T00:00:00.000Z', '2026-11-22T10:00:01.000Z');
    const stream = controllableStream();
    const { wrapper, fetchMock } = await openOrderPage([awaiting], stream, {
      responses: [new Response(null, { status: 401 }), stream.response],
      renewal: renewed,
    });

    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(streamTokens(fetchMock)).toEqual([`Bearer ${session.token}`, `Bearer ${renewed.token}`]);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    stream.send('awaiting_payment', null, awaiting.updatedAt);
    await flushPromises();
    expect(text(wrapper, 'order-status')).toBe('Awaiting payment');
    expect(wrapper.find('.field-error').exists()).toBe(false);
    wrapper.unmount();
  });

  it('when the session cannot be renewed, sends the shopper to log in and says why', async () => {
    const awaiting = awaitingPayment(order, '2099-01-01T00:00:00.000Z', '2026-11-22T10:00:01.000Z');
    const { wrapper } = await openOrderPage([awaiting], controllableStream(), {
      responses: [new Response(null, { status: 401 })],
      renewal: new ApiError('The session has ended; log in again', 'unauthenticated', 401),
    });

    const router = wrapper.vm.$router;
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'));
    expect(router.currentRoute.value.query.redirect).toBe(`/orders/${orderId}`);
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid=login-form]').text()).toContain(
        'Your session has ended. Please log in again.',
      ),
    );
    expect(useAuthStore().isLoggedIn).toBe(false);
    wrapper.unmount();
  });

  it('sends a visitor without a session to log in first', async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    const router = createShopRouter(createMemoryHistory());
    await router.push(`/orders/${orderId}`);
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe(`/orders/${orderId}`);
  });
});
