import type { Order, OrderCreate } from '@lapak/contracts';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/api-client';
import { toApiError, type ApiError } from '../api/api-error';
import { localStore } from '../lib/local-store';
import { randomId } from '../lib/random-id';
import { useCartStore } from './cart.store';

/** Checkout attempts not yet known to have succeeded: the order's lines → its Idempotency-Key. */
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

/** The same lines always give the same signature, whatever their order in the cart. */
export const signatureOf = (input: OrderCreate): string =>
  JSON.stringify(
    [...input.items]
      .sort((a, b) => a.productId.localeCompare(b.productId))
      .map((l) => [l.productId, l.quantity]),
  );

/**
 * Placing an order. Each set of lines gets one Idempotency-Key, kept in localStorage until the
 * API has answered with the order: a double click, a retry after a timeout and a retry after a
 * reload all send the same key, so the API returns the same order instead of making a second.
 * Changing the cart changes the lines, and so the key.
 */
export const useCheckoutStore = defineStore('checkout', () => {
  const attempts = ref<Attempts>(attemptsStore.read());
  const placing = ref(false);
  const error = ref<ApiError | null>(null);
  let inFlight: { signature: string; promise: Promise<Order> } | null = null;

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
    placing.value = true;
    error.value = null;
    const promise = api
      .createOrder(input, key)
      .then((order) => {
        forget(signature);
        useCartStore().removeOrdered(input.items.map((line) => line.productId));
        return order;
      })
      .catch((caught: unknown) => {
        error.value = toApiError(caught);
        throw error.value;
      })
      .finally(() => {
        if (inFlight?.promise === promise) inFlight = null;
        placing.value = inFlight !== null;
      });
    inFlight = { signature, promise };
    return promise;
  }

  function syncFromStorage(): void {
    attempts.value = attemptsStore.read();
  }

  return { attempts, placing, error, placeOrder, keyFor, syncFromStorage };
});
