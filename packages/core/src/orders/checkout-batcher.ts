import { KeyFailed, MicroBatcher } from '../batching/micro-batcher';
import type { Orm } from '../db/orm';
import { OrderRepository, type CheckoutInsert, type NewCheckout } from './order.repository';

export type CheckoutBatcher = MicroBatcher<NewCheckout, CheckoutInsert>;

/**
 * Stores concurrent checkouts together: a checkout that arrives while `maxInFlight` batches are
 * being written waits for the next batch, which takes everything waiting (up to `maxBatch`), so
 * one statement and one commit serve many orders; a lone checkout is written at once. If a batch
 * fails, each of its checkouts is retried alone, so one bad checkout cannot fail the others.
 */
export function checkoutBatcher(
  write: (checkouts: NewCheckout[]) => Promise<CheckoutInsert[]>,
  options: { maxBatch: number; maxInFlight: number },
): CheckoutBatcher {
  const byCheckout = async (checkouts: NewCheckout[]) => {
    const results = await write(checkouts);
    return new Map(checkouts.map((checkout, index) => [checkout, results[index]!]));
  };
  return new MicroBatcher<NewCheckout, CheckoutInsert>(
    async (checkouts) => {
      try {
        return await byCheckout(checkouts);
      } catch (error) {
        if (checkouts.length === 1) throw error;
        const alone = await Promise.all(
          checkouts.map((checkout) =>
            write([checkout]).then(
              ([result]) => [checkout, result!] as const,
              (single: unknown) => [checkout, new KeyFailed(single)] as const,
            ),
          ),
        );
        return new Map<NewCheckout, CheckoutInsert | KeyFailed>(alone);
      }
    },
    { ...options, lingerMs: 0 },
  );
}

/** The API's checkout batcher: each batch written with one statement through its own fork of `orm`. */
export const databaseCheckoutBatcher = (orm: Orm, options: { maxBatch: number; maxInFlight: number }) =>
  checkoutBatcher((checkouts) => new OrderRepository(orm.em.fork()).insertCheckouts(checkouts), options);
