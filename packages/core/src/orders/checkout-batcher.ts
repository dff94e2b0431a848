import type { Orm } from '../db/orm';
import { OrderRepository, type CheckoutInsert, type NewCheckout } from './order.repository';

/**
 * Stores concurrent checkouts together: a checkout that arrives while `maxInFlight` batches
 * are being written waits for the next batch, which takes everything waiting (up to
 * `maxBatch`). One statement and one commit then serve many orders. Nothing waits on a timer,
 * so a lone checkout is written at once. If a batch fails, each of its checkouts is retried
 * alone, so one bad checkout cannot fail the others.
 */
export class CheckoutBatcher {
  private readonly waiting: Array<{
    checkout: NewCheckout;
    resolve: (result: CheckoutInsert) => void;
    reject: (error: unknown) => void;
  }> = [];
  private inFlight = 0;

  constructor(
    private readonly write: (checkouts: NewCheckout[]) => Promise<CheckoutInsert[]>,
    private readonly options: { maxBatch: number; maxInFlight: number } = { maxBatch: 64, maxInFlight: 4 },
  ) {}

  /** A batcher that writes each batch with one statement through its own fork of `orm`. */
  static forDatabase(orm: Orm, options: { maxBatch: number; maxInFlight: number }): CheckoutBatcher {
    return new CheckoutBatcher(
      (checkouts) => new OrderRepository(orm.em.fork()).insertCheckouts(checkouts),
      options,
    );
  }

  submit(checkout: NewCheckout): Promise<CheckoutInsert> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ checkout, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async run(batch: CheckoutBatcher['waiting']): Promise<void> {
    try {
      const results = await this.write(batch.map((entry) => entry.checkout));
      batch.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(
        batch.map((entry) =>
          this.write([entry.checkout]).then((results) => entry.resolve(results[0]!), entry.reject),
        ),
      );
    }
  }
}
