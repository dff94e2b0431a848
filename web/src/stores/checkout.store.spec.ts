import type { Order, OrderCreate } from '@lapak/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { emptyAddress, rememberedDetailsStore } from '../lib/checkout-details';
import { makeAuthResult, makeOrder, sampleAddress } from '../testing/factories';
import { signIn } from '../testing/sign-in';
import { useAuthStore } from './auth.store';
import { useCartStore } from './cart.store';
import { attemptsStore, attemptTtlMs, signatureOf, useCheckoutStore } from './checkout.store';

const order = (id = 'o1'): Order => makeOrder({ id });

const withDetails = (items: OrderCreate['items']): OrderCreate => ({
  items,
  shippingAddress: sampleAddress,
  paymentMethod: 'bank_transfer',
});
const input = withDetails([{ productId: 'p1', quantity: 2 }]);

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
    await checkout.placeOrder(withDetails([{ productId: 'p1', quantity: 3 }]));
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

  it('signs the same lines the same way whatever their order, and another address or method apart', () => {
    const a = { productId: 'a', quantity: 2 };
    const b = { productId: 'b', quantity: 1 };
    expect(signatureOf(withDetails([b, a]))).toBe(signatureOf(withDetails([a, b])));
    // The API refuses a key sent again with another body, so a corrected address gets a new key.
    expect(
      signatureOf({ ...withDetails([a]), shippingAddress: { ...sampleAddress, city: 'Solo' } }),
    ).not.toBe(signatureOf(withDetails([a])));
    expect(signatureOf({ ...withDetails([a]), paymentMethod: 'cash_on_delivery' })).not.toBe(
      signatureOf(withDetails([a])),
    );
    // An optional line left out and one sent empty are the same address.
    const { region: _region, ...withoutRegion } = sampleAddress;
    expect(signatureOf({ ...withDetails([a]), shippingAddress: withoutRegion })).toBe(
      signatureOf({ ...withDetails([a]), shippingAddress: { ...withoutRegion, region: '' } }),
    );
  });
});

describe('checkout details', () => {
  const session = makeAuthResult();
  const items = [{ productId: '0192f0c4-0000-7000-8000-0000000000a1', quantity: 2 }];
  beforeEach(async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    await signIn(session);
    fillCart();
  });
  afterEach(() => vi.restoreAllMocks());

  const typeAddress = (overrides: Partial<typeof sampleAddress> = {}) => {
    const checkout = useCheckoutStore();
    checkout.prepareDetails(session.user.id);
    checkout.address = { ...emptyAddress(), ...sampleAddress, ...overrides };
    return checkout;
  };

  it('checks the address with the contract before anything is sent, naming fields as the API does', async () => {
    const create = vi.spyOn(api, 'createOrder');
    const checkout = typeAddress({ name: ' ', postalCode: '!', phone: 'call me', country: '' });

    await expect(checkout.submit(items)).rejects.toMatchObject({ code: 'validation_failed' });
    expect(create).not.toHaveBeenCalled();
    expect(checkout.fieldErrors).toEqual({
      'shippingAddress.name': 'must not be empty',
      'shippingAddress.phone': 'must be a phone number: digits, spaces, dashes, an optional leading +',
      'shippingAddress.postalCode': 'must be a postal code: 2 to 12 letters, digits, spaces or dashes',
      'shippingAddress.country': 'must be an ISO 3166-1 alpha-2 country code such as ID',
    });
    expect(checkout.placing).toBe(false);

    // Correcting a field takes its message away; the others stay until the next attempt.
    checkout.address = { ...checkout.address, postalCode: '55271' };
    await nextTick();
    expect(Object.keys(checkout.fieldErrors)).toEqual([
      'shippingAddress.name',
      'shippingAddress.phone',
      'shippingAddress.country',
    ]);
  });

  it('sends the address as the contract reads it, the way to pay, and remembers both for next time', async () => {
    const create = vi.spyOn(api, 'createOrder').mockResolvedValue(order());
    const checkout = typeAddress({ name: '  Siti Rahma ', country: 'id', region: '', line2: '' });
    checkout.paymentMethod = 'cash_on_delivery';

    await checkout.submit(items);

    const { region: _region, ...withoutRegion } = sampleAddress;
    expect(create.mock.calls[0]![0]).toEqual({
      items,
      shippingAddress: withoutRegion,
      paymentMethod: 'cash_on_delivery',
    });
    expect(rememberedDetailsStore.read()).toEqual({
      userId: session.user.id,
      address: { ...emptyAddress(), ...withoutRegion },
      paymentMethod: 'cash_on_delivery',
    });

    // A reload: the next checkout starts from them.
    setActivePinia(createPinia());
    const next = useCheckoutStore();
    next.prepareDetails(session.user.id);
    expect(next.address).toMatchObject({ name: 'Siti Rahma', city: 'Yogyakarta', country: 'ID' });
    expect(next.paymentMethod).toBe('cash_on_delivery');
  });

  it('never offers one account’s address to another, and forgets it on logging out', async () => {
    vi.spyOn(api, 'createOrder').mockResolvedValue(order());
    await typeAddress().submit(items);

    const other = useCheckoutStore();
    other.prepareDetails('someone-else');
    expect(other.address.name).toBe('');
    expect(other.paymentMethod).toBe('bank_transfer');

    vi.spyOn(api, 'logout').mockResolvedValue();
    await useAuthStore().logout();
    expect(rememberedDetailsStore.read()).toBeNull();
  });

  it('keeps what the shopper typed when the form is prepared again for the same account', () => {
    const checkout = typeAddress({ city: 'Solo' });
    checkout.prepareDetails(session.user.id);
    expect(checkout.address.city).toBe('Solo');
  });
});
