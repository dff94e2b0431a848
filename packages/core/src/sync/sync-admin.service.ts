import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  SyncDeadLetter,
  SyncDeadLetterListQuery,
  SyncDelivery,
  SyncDeliveryListQuery,
  SyncStats,
} from '@lapak/contracts';
import { decodeCursor, page, type Page } from '../db/cursor';
import { AppError } from '../errors/app-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { SyncDeadLetterRepository } from './sync-dead-letter.repository';
import { SyncDeliveryRepository } from './sync-delivery.repository';
import { SyncOutboxRepository } from './sync-outbox.repository';

export interface ReplayFilter {
  /** Every open dead letter. */
  deadLetters?: boolean;
  eventIds?: string[];
  aggregateIds?: string[];
  since?: Date;
}

/** What the admin app (and the replay CLI) reads and does about the catalog sync. */
export class SyncAdminService {
  constructor(private readonly em: EntityManager) {}

  async stats(): Promise<SyncStats> {
    const [backlog, deliveriesLastHour, deadLetters, lastSuccess] = await Promise.all([
      new OutboxRepository(this.em.fork()).backlog(),
      new SyncDeliveryRepository(this.em.fork()).countsSince(3600),
      new SyncDeadLetterRepository(this.em.fork()).countOpen(),
      new SyncDeliveryRepository(this.em.fork()).lastAppliedAt(),
    ]);
    return {
      outbox: { backlog: backlog.count, oldestAgeSeconds: backlog.oldestAgeSeconds },
      deliveriesLastHour,
      deadLetters,
      lastSuccessAt: lastSuccess ? lastSuccess.toISOString() : null,
    };
  }

  /** Dead-lettered events not replayed. */
  openDeadLetters(): Promise<number> {
    return new SyncDeadLetterRepository(this.em).countOpen();
  }

  /** The newest delivery-log entry of each of these events since `since`, by event id. */
  latestDeliveries(eventIds: string[], since: Date): Promise<Map<string, SyncDelivery>> {
    return new SyncDeliveryRepository(this.em).latestFor(eventIds, since);
  }

  async deliveries(query: SyncDeliveryListQuery): Promise<Page<SyncDelivery>> {
    const rows = await new SyncDeliveryRepository(this.em).list({
      // The sync lists' cursors carry a positive integer: a log id or an outbox sequence.
      beforeId: decodeCursor(query.cursor, 'numeric'),
      limit: query.limit + 1,
      status: query.status,
    });
    return page(rows, query.limit, (delivery) => delivery.id);
  }

  async deadLetters(query: SyncDeadLetterListQuery): Promise<Page<SyncDeadLetter>> {
    const before = decodeCursor(query.cursor, 'numeric');
    const rows = await new SyncDeadLetterRepository(this.em).listOpen({
      beforeSeq: before === undefined ? undefined : Number(before),
      limit: query.limit + 1,
    });
    return page(rows, query.limit, (letter) => letter.seq);
  }

  /** Sends one dead-lettered event again: it goes back to the outbox and the relay picks it up. */
  async replayDeadLetter(eventId: string): Promise<SyncDeadLetter> {
    return this.em.transactional(async (em) => {
      const letters = new SyncDeadLetterRepository(em);
      const letter = await letters.find(eventId);
      if (!letter) throw AppError.notFound('Dead letter');
      if (letter.replayedAt) throw new AppError('conflict', 'This dead letter was replayed already');
      const [marked] = await letters.markReplayed([eventId]);
      if (!(await new SyncOutboxRepository(em).requeue([letter.seq]))) {
        throw new AppError(
          'conflict',
          'The event is no longer in the outbox (pruned); run reconciliation to repair its aggregate',
        );
      }
      return marked ?? letter;
    });
  }

  /**
   * Puts the chosen events back into the outbox (dead letters chosen are marked replayed) and
   * returns them; the worker delivers them again. Older versions of an aggregate that has a
   * newer one are skipped by the dispatcher as superseded.
   */
  async replay(filter: ReplayFilter): Promise<{ seq: number; eventId: string }[]> {
    return this.em.transactional(async (em) => {
      const outbox = new SyncOutboxRepository(em);
      const chosen = new Map<number, string>();
      if (filter.deadLetters) {
        for (const letter of await new SyncDeadLetterRepository(em).markReplayed())
          chosen.set(letter.seq, letter.eventId);
      }
      if (filter.eventIds || filter.aggregateIds || filter.since) {
        const { eventIds, aggregateIds, since } = filter;
        const rows = await outbox.select({ eventIds, aggregateIds, since });
        for (const row of rows) chosen.set(row.seq, row.eventId);
        await new SyncDeadLetterRepository(em).markReplayed(rows.map((row) => row.eventId));
      }
      const seqs = [...chosen.keys()].sort((a, b) => a - b);
      await outbox.requeue(seqs);
      return seqs.map((seq) => ({ seq, eventId: chosen.get(seq)! }));
    });
  }
}
