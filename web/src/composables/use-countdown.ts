import { computed, onBeforeUnmount, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { crossedMilestone, formatTimeLeft } from '../lib/countdown';

/**
 * The time left until `deadline` (an ISO date-time, or null for none), ticking once a second
 * until it runs out. Ticks land on whole seconds before the deadline and the last one on the
 * deadline itself, so the page says the time is up when it is, not up to a second later (by when
 * the shop may already have expired the payment). `announcement` holds the last milestone crossed (five minutes, one minute,
 * time's up) for a polite live region; the ticking text itself is not for announcing.
 */
export function useCountdown(deadline: MaybeRefOrGetter<string | null | undefined>) {
  const now = ref(Date.now());
  const announcement = ref('');
  let timer: ReturnType<typeof setTimeout> | null = null;

  const dueAt = computed(() => {
    const value = toValue(deadline);
    return value ? Date.parse(value) : null;
  });
  const leftMs = computed(() => (dueAt.value === null ? null : Math.max(0, dueAt.value - now.value)));

  function stop() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule() {
    const left = leftMs.value;
    if (left === null || left <= 0) return;
    timer = setTimeout(
      () => {
        tick();
        schedule();
      },
      left % 1000 || 1000,
    );
  }

  function tick() {
    const before = leftMs.value;
    now.value = Date.now();
    const after = leftMs.value;
    if (before !== null && after !== null) {
      const message = crossedMilestone(before, after);
      if (message) announcement.value = message;
    }
  }

  watch(
    dueAt,
    (due) => {
      stop();
      now.value = Date.now();
      announcement.value = '';
      if (due !== null && due > now.value) schedule();
    },
    { immediate: true },
  );
  onBeforeUnmount(stop);

  return {
    leftMs,
    text: computed(() => (leftMs.value === null ? '' : formatTimeLeft(leftMs.value))),
    expired: computed(() => leftMs.value !== null && leftMs.value <= 0),
    announcement,
    stop,
  };
}
