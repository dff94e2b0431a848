import { performance } from 'node:perf_hooks';
import { openLoopCalls, percentile } from '../lib/open-loop';
import { cartOf, type CartLine } from './catalog';
import type { CheckoutOutcome, SystemUnderTest } from './system';

/** One finished checkout: when it started and ended (performance.now()), and how. */
export interface Timed {
  startedAt: number;
  endedAt: number;
  outcome: CheckoutOutcome;
}

/** The checkouts' lines, numbered across the whole run so every phase buys different carts. */
export class Carts {
  private next = 0;
  constructor(private readonly products: number) {}
  take(): { n: number; lines: CartLine[] } {
    const n = this.next++;
    return { n, lines: cartOf(n, this.products) };
  }
}

/**
 * Closed loop: `shoppers` shoppers, each checking out again as soon as its last checkout ended,
 * for `seconds`; a checkout started before the end is waited for.
 */
export async function closedLoop(
  system: SystemUnderTest,
  carts: Carts,
  shoppers: number,
  seconds: number,
): Promise<{ done: Timed[]; startedAt: number; endedAt: number }> {
  const done: Timed[] = [];
  const startedAt = performance.now();
  const until = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: shoppers }, async () => {
      while (performance.now() < until) {
        const { n, lines } = carts.take();
        const begun = performance.now();
        const outcome = await system.checkout(lines, n);
        done.push({ startedAt: begun, endedAt: performance.now(), outcome });
      }
    }),
  );
  return { done, startedAt, endedAt: performance.now() };
}

/**
 * Open loop at `rate` checkouts a second for `seconds` (lib/open-loop.ts): latency from each
 * checkout's scheduled start. For a system that decides orders after accepting them, each call
 * also waits for the decision: `endToEnd` is then scheduled start → decision and `accepted`
 * scheduled start → answer.
 */
export async function fixedRate(
  system: SystemUnderTest,
  carts: Carts,
  rate: number,
  seconds: number,
): Promise<{
  accepted: number[];
  endToEnd: number[] | undefined;
  statuses: Record<string, number>;
  sent: number;
}> {
  const answerToEnd = new Map<number, number>();
  const result = await openLoopCalls({
    rate,
    seconds,
    call: async (i) => {
      const { n, lines } = carts.take();
      const outcome = await system.checkout(lines, n);
      if (!outcome.ok) return 'refused';
      if (system.decided && outcome.orderId) {
        const answeredAt = performance.now();
        const decision = await system.decided(outcome.orderId);
        answerToEnd.set(i, decision.at - answeredAt);
        return decision.status;
      }
      return 'completed';
    },
  });
  if (!system.decided)
    return { accepted: result.latencies, endToEnd: undefined, statuses: result.statuses, sent: result.sent };
  const accepted = result.timeline
    .map((entry, i) => entry.latencyMs - (answerToEnd.get(i) ?? 0))
    .sort((a, b) => a - b);
  return { accepted, endToEnd: result.latencies, statuses: result.statuses, sent: result.sent };
}

/** `buyers` shoppers at once, each buying one unit of the last catalog product (the hot one). */
export async function hotRace(
  system: SystemUnderTest,
  hotIndex: number,
  buyers: number,
): Promise<{ completed: number; refused: number; refusals: string[] }> {
  const refusals = new Set<string>();
  const outcomes = await Promise.all(
    Array.from({ length: buyers }, async (_, buyer) => {
      const outcome = await system.checkout([{ index: hotIndex, quantity: 1 }], buyer);
      if (!outcome.ok) refusals.add(outcome.refusal ?? '?');
      if (!outcome.ok || !system.decided || !outcome.orderId) return outcome.ok;
      return (await system.decided(outcome.orderId)).status !== 'failed';
    }),
  );
  const completed = outcomes.filter(Boolean).length;
  return { completed, refused: buyers - completed, refusals: [...refusals].slice(0, 5) };
}

export const p = (sorted: number[], q: number) => percentile(sorted, q);
