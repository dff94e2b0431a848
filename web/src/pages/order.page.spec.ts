import type { Order } from '@lapak/contracts';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { api } from '../api/api-client';
import App from '../app.vue';
import { createShopRouter } from '../router';
import { sessionStore } from '../stores/auth.store';
import { makeAuthResult } from '../testing/factories';

const session = makeAuthResult();
const orderId = '0192f0c4-0000-7000-8000-00000000a1b2';
const order: Order = {
  id: orderId,
  status: 'pending',
  failureReason: null,
  items: [{ productId: 'p1', sku: 'MUG-1', name: 'Stoneware mug', unitPriceCents: 1850, quantity: 2 }],
  totalCents: 3700,
  currency: 'EUR',
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
};

/** An SSE response whose events the test sends one at a time. */
function controllableStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const send = (status: Order['status'], failureReason: Order['failureReason'] = null) =>
    controller.enqueue(
      new TextEncoder().encode(
        `event: status\ndata: ${JSON.stringify({ orderId, status, failureReason, updatedAt: order.updatedAt })}\n\n`,
      ),
    );
  return {
    response: new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    send,
    end: () => controller.close(),
  };
}

describe('order page', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStore.write(session);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('shows pending, then the failure and its reason in plain words as the stream reports it', async () => {
    vi.spyOn(api, 'order').mockResolvedValue(order);
    const stream = controllableStream();
    const fetchMock = vi.fn(async () => stream.response);
    vi.stubGlobal('fetch', fetchMock);

    const pinia = createPinia();
    setActivePinia(pinia);
    const router = createShopRouter(createMemoryHistory());
    await router.push(`/orders/${orderId}`);
    const wrapper = mount(App, { global: { plugins: [pinia, router] } });
    await flushPromises();

    const live = wrapper.get('[data-testid=order-status-live]');
    expect(live.attributes('aria-live')).toBe('polite');
    expect(wrapper.get('[data-testid=order-status]').text()).toBe('Processing');
    expect(wrapper.get('[data-testid=order-total]').text()).toBe('€37.00');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toMatch(new RegExp(`/api/v1/orders/${orderId}/events$`));
    expect(new Headers(init.headers).get('Authorization')).toBe(`Bearer ${session.token}`);

    stream.send('pending');
    stream.send('failed', 'out_of_stock');
    stream.end();
    await vi.waitFor(() => expect(wrapper.get('[data-testid=order-status]').text()).toBe('Failed'));
    expect(wrapper.get('[data-testid=order-status-text]').text()).toBe(
      'Some items sold out before we could reserve them, so nothing was ordered.',
    );
    expect(document.title).toBe('Order 0000A1B2: Failed · Lapak');
    expect(fetchMock).toHaveBeenCalledTimes(1);
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
