import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxRepository, type RelayedEvent } from './outbox.repository';

/** What the outbox relay and the metrics read and do with the outbox. */
export class OutboxRelayService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Claims up to `limit` unrelayed events (skipping rows another relay holds), hands them to
   * `publish`, and marks them relayed in the same transaction once it has resolved. Returns how
   * many moved.
   */
  relayBatch(limit: number, publish: (events: RelayedEvent[]) => Promise<void>): Promise<number> {
    return new OutboxRepository(this.em).relayBatch(limit, publish);
  }

  /** How many events wait to be relayed, counting no further than `n`. */
  backlogUpTo(n: number): Promise<number> {
    return new OutboxRepository(this.em).backlogUpTo(n);
  }

  /** Events waiting to be relayed, and the oldest one's age. */
  backlog() {
    return new OutboxRepository(this.em).backlog();
  }
}
