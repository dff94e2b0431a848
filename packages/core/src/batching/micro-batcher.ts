export interface MicroBatcherOptions {
  /** Most keys handed to one run. */
  maxBatch: number;
  /** Most runs at the same time. */
  maxInFlight: number;
  /**
   * How long the first key of an idle batcher waits for company before its run starts; 0 starts
   * it at once (company then gathers only while runs are in flight).
   */
  lingerMs: number;
}

/** A run's answer for one key that failed alone: its caller is rejected with `error`. */
export class KeyFailed {
  constructor(readonly error: unknown) {}
}

interface Waiter<K, R> {
  key: K;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Gathers keys submitted one at a time (an order job, a checkout request) into runs of up to
 * `maxBatch`, so that one statement and one commit serve many. An idle batcher starts a run
 * `lingerMs` after the first key (at once with 0); while runs are in flight, keys queue up and
 * the next run starts as soon as one finishes, so under load batches grow on their own and when
 * idle a key waits no longer than the linger. Each submitter gets the result for its own key, its
 * `KeyFailed` error, or the run's error. The order worker and the API's checkout both use it.
 */
export class MicroBatcher<K, R> {
  private readonly queue: Waiter<K, R>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (keys: K[]) => Promise<Map<K, R | KeyFailed>>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (this.queue.length >= this.options.maxBatch || this.options.lingerMs === 0) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  /** Keys waiting for a run, and runs in flight (for tests and diagnostics). */
  get load(): { queued: number; inFlight: number } {
    return { queued: this.queue.length, inFlight: this.inFlight };
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      this.start(this.queue.splice(0, this.options.maxBatch));
    }
  }

  private start(waiters: Waiter<K, R>[]): void {
    this.inFlight++;
    const keys = [...new Set(waiters.map((waiter) => waiter.key))];
    this.run(keys)
      .then(
        (results) => {
          for (const waiter of waiters) {
            const result = results.get(waiter.key);
            if (result instanceof KeyFailed) waiter.reject(result.error);
            else if (results.has(waiter.key)) waiter.resolve(result as R);
            else waiter.reject(new Error(`the batch returned no result for ${String(waiter.key)}`));
          }
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        // Keys that queued up during this run have waited long enough: go at once.
        if (this.queue.length > 0) this.flush();
      });
  }
}
