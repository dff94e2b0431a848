import type { Order } from '@lapak/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { useCartStore } from './cart.store';
import { attemptsStore, attemptTtlMs, signatureOf, useCheckoutStore } from './checkout.store';

const order = (id = 'o1'): Order => ({
  id,
  status: 'pending',
  failureReason: null,
  items: [],
  totalCents: 0,
  currency: 'EUR',
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
});

const input = { items: [{ productId: 'p1', quantity: 2 }] };

function fillCart() {
  useCartStore().add(
    { id: 'p1', slug: 'mug', name: 'Mug', price_cents: 100, currency: 'EUR', stock: 9, images: [] },
    2,
  );
}

describe('checkout store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    fillCart();
  });
  afterEach(() => vi.restoreAllMocks());

  it('sends one request for a double click, and empties the ordered lines on success', async () => {
    let answer!: (value: Order) => void;
    const create = vi
      .spyOn(api, 'createOrder')
      .mockReturnValue(new Promise<Order>((resolve) => (answer = resolve)));
    const checkout = useCheckoutStore();

    const first = checkout.placeOrder(input);
    const second = checkout.placeOrder(input);
    expect(checkout.placing).toBe(true);
    answer(order());

    expect(await first).toEqual(order());
    expect(await second).toEqual(order());
    expect(create).toHaveBeenCalledTimes(1);
    expect(checkout.placing).toBe(false);
    expect(useCartStore().isEmpty).toBe(true);
    expect(attemptsStore.read()).toEqual({});
  });

  it('retries with the same Idempotency-Key after a failure, even after a reload', async () => {
    const create = vi
      .spyOn(api, 'createOrder')
      .mockRejectedValueOnce(new ApiError('timeout', 'network', 0))
      .mockRejectedValueOnce(new ApiError('timeout', 'network', 0))
      .mockResolvedValueOnce(order());

    await expect(useCheckoutStore().placeOrder(input)).rejects.toMatchObject({ code: 'network' });
    expect(useCheckoutStore().error?.retryable).toBe(true);
    expect(useCartStore().isEmpty).toBe(false);
    await expect(useCheckoutStore().placeOrder(input)).rejects.toBeInstanceOf(ApiError);

    setActivePinia(createPinia()); // a reload
    await useCheckoutStore().placeOrder(input);

    const keys = create.mock.calls.map((call) => call[1]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses a new key when the lines change, and after a success', async () => {
    const create = vi
      .spyOn(api, 'createOrder')
      .mockRejectedValueOnce(new ApiError('timeout', 'network', 0))
      .mockResolvedValue(order());
    const checkout = useCheckoutStore();

    await checkout.placeOrder(input).catch(() => undefined);
    await checkout.placeOrder({ items: [{ productId: 'p1', quantity: 3 }] });
    await checkout.placeOrder(input);
    fillCart();
    await checkout.placeOrder(input);

    const keys = create.mock.calls.map((call) => call[1]);
    // The first attempt's key is reused by its retry (the third call), never by a new order.
    expect(keys[2]).toBe(keys[0]);
    expect(new Set([keys[0], keys[1], keys[3]]).size).toBe(3);
  });

  it('gives a day-old attempt a new key', () => {
    const checkout = useCheckoutStore();
    const signature = signatureOf(input);
    const first = checkout.keyFor(signature, 0);
    expect(checkout.keyFor(signature, attemptTtlMs - 1)).toBe(first);
    expect(checkout.keyFor(signature, 2 * attemptTtlMs)).not.toBe(first);
  });

  it('signs the same lines the same way whatever their order', () => {
    expect(
      signatureOf({
        items: [
          { productId: 'b', quantity: 1 },
          { productId: 'a', quantity: 2 },
        ],
      }),
    ).toBe(
      signatureOf({
        items: [
          { productId: 'a', quantity: 2 },
          { productId: 'b', quantity: 1 },
        ],
      }),
    );
  });
});
