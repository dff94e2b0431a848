import type { Order, OrderCreate, PaymentMethod } from '@lapak/contracts';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api } from '../api/api-client';
import { ApiError, toApiError } from '../api/api-error';
import {
  addressFields,
  emptyAddress,
  localeCountry,
  rememberedDetailsStore,
  toShippingAddress,
  type AddressDraft,
} from '../lib/checkout-details';
import { checkCheckout } from '../lib/contract-checks';
import { localStore } from '../lib/local-store';
import { randomId } from '../lib/random-id';
import { useAuthStore } from './auth.store';
import { lineKey, useCartStore } from './cart.store';

/** Checkout attempts not yet known to have succeeded: the order's signature → its Idempotency-Key. */
type Attempts = Record<string, { key: string; at: number }>;

const isAttempts = (value: unknown): value is Attempts =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((attempt) => typeof (attempt as { key?: unknown })?.key === 'string');

export const attemptsStore = localStore<Attempts>('lapak.checkout.v1', () => ({}), isAttempts);

/** Attempts kept at most (oldest dropped first), and for how long a retry reuses its key. */
const maxAttempts = 10;
export const attemptTtlMs = 24 * 3600 * 1000;

/**
 * The same checkout always gives the same signature, whatever the order of its lines. The
 * address and the way to pay are part of it: the API answers a key sent again with a different
 * body `idempotency_key_reused`, so a corrected address is a new attempt with a new key.
 */
export const signatureOf = (input: OrderCreate): string => {
  const address = toDraft(input.shippingAddress);
  return JSON.stringify([
    input.items.map((l) => [lineKey(l), l.quantity] as const).sort(([a], [b]) => a.localeCompare(b)),
    addressFields.map((field) => address[field]),
    input.paymentMethod,
  ]);
};

const toDraft = (address: OrderCreate['shippingAddress']): AddressDraft => ({
  ...emptyAddress(),
  ...address,
});

/** The country a new address starts with: the one of the browser's language, if it names one. */
const startingCountry = () => localeCountry(globalThis.navigator?.language);

/**
 * Placing an order. Each checkout (lines, address, way to pay) gets one Idempotency-Key, kept in
 * localStorage until the API has answered with the order: a double click, a retry after a
 * timeout and a retry after a reload all send the same key, so the API returns the same order
 * instead of making a second. Changing the cart or the details changes the key.
 *
 * The delivery address and the way to pay are checked with the contract's schema before they
 * are sent; after an order is placed they are remembered for the shopper's next checkout.
 */
export const useCheckoutStore = defineStore('checkout', () => {
  const attempts = ref<Attempts>(attemptsStore.read());
  const sending = ref(false);
  const checking = ref(0);
  const placing = computed(() => sending.value || checking.value > 0);
  const error = ref<ApiError | null>(null);
  let inFlight: { signature: string; promise: Promise<Order> } | null = null;

  const address = ref<AddressDraft>(emptyAddress(startingCountry()));
  const paymentMethod = ref<PaymentMethod>('bank_transfer');
  /** Whose details the form holds: another account logging in starts from its own. */
  const detailsOwner = ref<string | null>(null);

  /** Fills the form with what `userId` used last time, unless it already holds their details. */
  function prepareDetails(userId: string): void {
    if (detailsOwner.value === userId) return;
    const remembered = rememberedDetailsStore.read();
    const mine = remembered?.userId === userId ? remembered : null;
    address.value = mine ? { ...mine.address } : emptyAddress(startingCountry());
    paymentMethod.value = mine?.paymentMethod ?? 'bank_transfer';
    detailsOwner.value = userId;
  }

  function remember(input: OrderCreate): void {
    const userId = useAuthStore().user?.id;
    if (!userId) return;
    rememberedDetailsStore.write({
      userId,
      address: toDraft(input.shippingAddress),
      paymentMethod: input.paymentMethod,
    });
  }

  function keyFor(signature: string, now = Date.now()): string {
    const existing = attempts.value[signature];
    if (existing && now - existing.at < attemptTtlMs) return existing.key;
    const entries = Object.entries(attempts.value)
      .filter(([other, attempt]) => other !== signature && now - attempt.at < attemptTtlMs)
      .sort(([, a], [, b]) => b.at - a.at);
    const kept = Object.fromEntries(entries.slice(0, maxAttempts - 1));
    const key = randomId();
    attempts.value = { ...kept, [signature]: { key, at: now } };
    attemptsStore.write(attempts.value);
    return key;
  }

  function forget(signature: string) {
    const { [signature]: _done, ...rest } = attempts.value;
    attempts.value = rest;
    attemptsStore.write(attempts.value);
  }

  /** Sends the order; while one is on its way, asking again waits for the same answer. */
  function placeOrder(input: OrderCreate): Promise<Order> {
    const signature = signatureOf(input);
    if (inFlight?.signature === signature) return inFlight.promise;
    const key = keyFor(signature);
    sending.value = true;
    error.value = null;
    const promise = api
      .createOrder(input, key)
      .then((order) => {
        forget(signature);
        remember(input);
        useCartStore().removeOrdered(input.items);
        return order;
      })
      .catch((caught: unknown) => {
        error.value = toApiError(caught);
        throw error.value;
      })
      .finally(() => {
        if (inFlight?.promise === promise) inFlight = null;
        sending.value = inFlight !== null;
      });
    inFlight = { signature, promise };
    return promise;
  }

  /**
   * Checks these lines with the form's address and way to pay against the contract, then places
   * the order. Rejects with an ApiError: `validation_failed` with a message per field (named as
   * the API names them: `shippingAddress.city`, `items.0.quantity`) when the check fails.
   */
  async function submit(items: OrderCreate['items']): Promise<Order> {
    error.value = null;
    checking.value++;
    let checked;
    try {
      checked = await checkCheckout({
        items,
        shippingAddress: toShippingAddress(address.value),
        paymentMethod: paymentMethod.value,
      });
    } catch (caught) {
      error.value = toApiError(caught);
      throw error.value;
    } finally {
      checking.value--;
    }
    if (checked.fields) {
      error.value = new ApiError(
        'Please correct the highlighted fields.',
        'validation_failed',
        400,
        checked.fields,
      );
      throw error.value;
    }
    return placeOrder(checked.value);
  }

  /**
   * The message for each field of the details form (`shippingAddress.city`, `paymentMethod`)
   * from the last attempt; a field's message goes once the shopper changes that field.
   */
  const fieldErrors = ref<Record<string, string>>({});
  watch(error, (next) => (fieldErrors.value = next?.fields ?? {}));
  watch(address, (next, previous) => {
    const changed = addressFields.filter((field) => next[field] !== previous[field]);
    if (changed.length === 0) return;
    const { ...kept } = fieldErrors.value;
    for (const field of changed) delete kept[`shippingAddress.${field}`];
    fieldErrors.value = kept;
  });
  watch(paymentMethod, () => {
    const { paymentMethod: _changed, ...kept } = fieldErrors.value;
    fieldErrors.value = kept;
  });

  function syncFromStorage(): void {
    attempts.value = attemptsStore.read();
  }

  return {
    attempts,
    placing,
    error,
    fieldErrors,
    address,
    paymentMethod,
    prepareDetails,
    placeOrder,
    submit,
    keyFor,
    syncFromStorage,
  };
});
