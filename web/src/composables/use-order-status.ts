import type { Order, OrderStatusUpdate } from '@lapak/contracts';
import { onBeforeUnmount, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { api } from '../api/api-client';
import { sessionEnded, toApiError, type ApiError } from '../api/api-error';
import { followOrderStatus } from '../api/order-status-stream';
import { config } from '../config';
import { isFinal } from '../lib/order-status';
import { useAuthStore } from '../stores/auth.store';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'done';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * An order and its status, live: reads the order, then follows its status stream until a final
 * status (an order awaiting payment is not final: it is followed until paid, expired or
 * cancelled), reconnecting with backoff (and re-reading the order) when the connection drops.
 */
export function useOrderStatus(orderId: MaybeRefOrGetter<string>) {
  const auth = useAuthStore();
  const order = shallowRef<Order | null>(null);
  const error = shallowRef<ApiError | null>(null);
  const loading = ref(true);
  const live = ref<LiveState>('connecting');
  let controller: AbortController | null = null;

  /**
   * Keeps the newer of two reads of the order: a slow answer must not undo a newer status. A read
   * as old as what is shown but with another status cannot be the newer one either.
   */
  function keep(next: Order) {
    const current = order.value;
    if (current) {
      if (next.id !== current.id) return;
      const age = Date.parse(next.updatedAt) - Date.parse(current.updatedAt);
      if (age < 0 || (age === 0 && next.status !== current.status)) return;
    }
    order.value = next;
  }

  /**
   * A status event says what the order became, not what came with it (the payment's reference
   * and deadline, the time it was paid): the status shows at once, then the order is read again.
   */
  function apply(update: OrderStatusUpdate, signal: AbortSignal) {
    const current = order.value;
    if (!current || update.orderId !== current.id) return;
    if (update.status === current.status && update.updatedAt === current.updatedAt) return;
    order.value = {
      ...current,
      status: update.status,
      failureReason: update.failureReason,
      updatedAt: update.updatedAt,
    };
    if (update.status !== current.status) void refresh(update.orderId, signal);
  }

  async function refresh(id: string, signal: AbortSignal) {
    try {
      const fresh = await api.order(id);
      if (!signal.aborted) keep(fresh);
    } catch {
      // The status is shown already; the details follow with the next event or reconnection.
    }
  }

  /**
   * Each connection sends the session's token of that moment, so a stream opened before a renewal
   * reconnects with the new token. A stream refused for its token (it ran out between reading and
   * connecting, say) gets one renewal and connects again at once.
   */
  async function follow(id: string, signal: AbortSignal) {
    let renewed = false;
    for (let attempt = 0; !signal.aborted; attempt++) {
      if (order.value && isFinal(order.value.status)) break;
      live.value = attempt === 0 ? 'connecting' : 'reconnecting';
      try {
        const token = await auth.freshToken();
        if (!token) throw sessionEnded();
        await followOrderStatus({
          apiUrl: config.apiUrl,
          orderId: id,
          token,
          signal,
          onUpdate: (update) => {
            live.value = 'live';
            attempt = 0;
            renewed = false;
            apply(update, signal);
          },
        });
      } catch (caught) {
        if (signal.aborted) return;
        const failure = toApiError(caught);
        if (failure.code === 'unauthenticated' && auth.isLoggedIn && !renewed) {
          renewed = true;
          // A failed renewal signs the shopper out, or leaves the next attempt to try again.
          await auth.renew().catch(() => undefined);
          continue;
        }
        if (!failure.retryable) {
          error.value = failure;
          break;
        }
      }
      if (order.value && isFinal(order.value.status)) break;
      live.value = 'reconnecting';
      await sleep(Math.min(500 * 2 ** attempt, 15_000), signal);
      if (signal.aborted) return;
      // A status may have changed while the connection was down.
      await refresh(id, signal);
    }
    if (!signal.aborted) live.value = 'done';
  }

  async function start(id: string) {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    order.value = null;
    live.value = 'connecting';
    try {
      const loaded = await api.order(id);
      if (current.signal.aborted) return;
      order.value = loaded;
    } catch (caught) {
      if (current.signal.aborted) return;
      error.value = toApiError(caught);
      live.value = 'done';
      return;
    } finally {
      if (!current.signal.aborted) loading.value = false;
    }
    await follow(id, current.signal);
  }

  watch(
    () => toValue(orderId),
    (id) => void start(id),
    { immediate: true },
  );
  onBeforeUnmount(() => controller?.abort());

  return { order, error, loading, live, reload: () => start(toValue(orderId)) };
}
