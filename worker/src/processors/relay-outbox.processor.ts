import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { AutomationJob, CatalogSyncJob } from '@lapak/contracts';
import {
  OutboxRelayService,
  listenToOutbox,
  routeEvents,
  type Logger,
  type Orm,
  type OutboxListener,
} from '@lapak/core';
import { deliveryJobOptions } from '../sync/delivery-follow-up';

/** Where the relay puts events: catalog events for the catalog sync, domain events for the flows. */
export interface RelayQueues {
  catalogSync: Queue;
  automation: Queue;
}

/**
 * Moves up to `batchSize` committed outbox events into the queues and marks them relayed in the
 * same transaction after the jobs are in Redis: a crash in between relays them again (at least
 * once; a second catalog copy is stale in the flow, a second domain event has the same id). The
 * catalog events go to the catalog-sync queue as ONE job (their sequence numbers and a new request
 * id); the domain events as one automation job per flow subscribed to them (routeEvents). Every
 * relay is a new job: an id made of the sequence numbers alone would make BullMQ drop a replayed
 * event whose first job is still kept as completed. Returns how many moved.
 */
export async function relayOutbox(orm: Orm, queues: RelayQueues, batchSize = 500): Promise<number> {
  return new OutboxRelayService(orm.em.fork()).relayBatch(batchSize, async (events) => {
    const routed = routeEvents(events);
    const seqs = routed.catalog;
    if (seqs.length > 0) {
      const data: CatalogSyncJob = { seqs, attempt: 1, requestId: `sync-${randomUUID()}` };
      await queues.catalogSync.add(
        'deliver',
        data,
        deliveryJobOptions(`relay:${seqs[0]}-${seqs.at(-1)}:${data.requestId}`),
      );
    }
    if (routed.flows.length > 0) {
      await queues.automation.addBulk(
        routed.flows.map(({ flow, seqs: flowSeqs }) => {
          const data: AutomationJob = { flow, seqs: flowSeqs, attempt: 1, requestId: `auto-${randomUUID()}` };
          return {
            name: 'deliver',
            data,
            opts: deliveryJobOptions(`relay:${flow}-${flowSeqs[0]}:${data.requestId}`),
          };
        }),
      );
    }
  });
}

/**
 * The relay loop of a worker process. It runs when an outbox change commits (LISTEN/NOTIFY),
 * when told (`kick`: the dispatcher took or finished a job) and at least every `pollMs`. Woken by
 * a commit, it lingers `lingerMs` first, so the changes of the next few milliseconds
 * (the stock changes of the order batches deciding now) travel as one batch instead of one each.
 *
 * Batches form by themselves: while `maxInFlight` batches are being delivered, new events stay
 * in the outbox and go out together as the next job the moment one is done, so a busy flow gets
 * fewer, larger batches and an idle one gets each change at once. Only a full batch (a bulk
 * change) is queued behind those in flight, so the flow never waits for the relay; a small one
 * queued there would make a change wait for two deliveries instead of one. Several processes may
 * relay at the same time: rows are claimed with SKIP LOCKED.
 */
export class OutboxRelay {
  private listener: OutboxListener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private backlogWaiting = false;
  private started = 0;
  private finished = 0;

  constructor(
    private readonly deps: {
      orm: Orm;
      /** The catalog-sync queue: its batches in flight pace the relay. */
      queue: Queue;
      /** Where domain events go, one job per subscribed flow. */
      automation: Queue;
      databaseUrl: string;
      logger: Logger;
      batchSize: number;
      /** Batches delivered at once (the dispatcher's global concurrency). */
      maxInFlight?: number;
      pollMs?: number;
      lingerMs?: number;
    },
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.schedule();
    this.kick();
  }

  /**
   * Runs started and finished so far; runs never overlap, so once `finished` passes the
   * `started` read after a commit, a run that began after that commit has ended.
   */
  get runs(): { started: number; finished: number } {
    return { started: this.started, finished: this.finished };
  }

  /** Relays now (or right after the run in progress). */
  kick(): void {
    if (this.stopped) return;
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.running) {
      this.again = true;
      return;
    }
    this.started++;
    this.running = this.run().finally(() => {
      this.finished++;
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** A change committed: relays after the linger (unless something kicks it sooner). */
  private wake(): void {
    const lingerMs = this.deps.lingerMs ?? 0;
    if (lingerMs === 0) this.kick();
    else this.lingering ??= setTimeout(() => this.kick(), lingerMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.lingering);
    await this.running;
    await this.listener?.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    // While events wait for the queue to drain, look again soon; otherwise NOTIFY wakes us.
    const every = this.backlogWaiting ? 100 : (this.deps.pollMs ?? 1000);
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule();
    }, every);
    this.timer.unref();
  }

  private async listen(): Promise<void> {
    try {
      this.listener = await listenToOutbox(
        this.deps.databaseUrl,
        () => this.wake(),
        (error) => {
          this.deps.logger.warn(
            { err: error },
            'outbox listener lost its connection; polling until it is back',
          );
          const dead = this.listener;
          this.listener = undefined;
          void dead?.close();
          setTimeout(() => void this.listen(), 1000).unref();
        },
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'outbox listener could not connect; polling');
      if (!this.stopped) setTimeout(() => void this.listen(), 1000).unref();
    }
  }

  private async run(): Promise<void> {
    const { queue, orm, batchSize, logger } = this.deps;
    try {
      for (;;) {
        if (this.stopped) return;
        const jobs = await queue.getJobCounts('waiting', 'active');
        if ((jobs.waiting ?? 0) > 0) {
          this.backlogWaiting = true;
          return;
        }
        if ((jobs.active ?? 0) >= (this.deps.maxInFlight ?? 1)) {
          const count = await new OutboxRelayService(orm.em.fork()).backlogUpTo(batchSize);
          if (count < batchSize) {
            this.backlogWaiting = count > 0;
            return;
          }
        }
        this.backlogWaiting = false;
        const moved = await relayOutbox(
          orm,
          { catalogSync: queue, automation: this.deps.automation },
          batchSize,
        );
        if (moved > 0) logger.debug({ moved }, 'outbox relayed');
        if (moved < batchSize) return;
      }
    } catch (error) {
      logger.warn({ err: error }, 'outbox relay failed; trying again');
    }
  }
}
