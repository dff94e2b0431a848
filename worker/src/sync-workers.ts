import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { automationJobSchema, catalogSyncJobSchema, queueNames } from '@lapak/contracts';
import type { Redis } from '@lapak/core';
import type { WorkerDeps } from './deps';
import { jobLock } from './job-lock';
import { registerSyncMetrics, type SyncMetrics } from './metrics/sync-metrics';
import { dispatchAutomationJob } from './processors/dispatch-automation.processor';
import { dispatchCatalogJob } from './processors/dispatch-catalog.processor';
import { reconcileCatalogJob } from './processors/reconcile-catalog.processor';
import { OutboxRelay } from './processors/relay-outbox.processor';

export const catalogReconcileQueueName = 'catalog-reconcile';

export interface SyncWorkers {
  workers: Worker[];
  relay: OutboxRelay;
  metrics: SyncMetrics;
  close(): Promise<void>;
}

/**
 * The catalog sync of a worker process: the outbox relay, the dispatcher (SYNC_MAX_IN_FLIGHT
 * batches at once across all processes; Directus's version fence decides between two versions
 * of a product that race), the automation dispatcher (domain events to the flows subscribed to
 * them) and the scheduled reconciliation.
 */
export async function startSyncWorkers(deps: WorkerDeps, connection: Redis): Promise<SyncWorkers> {
  const { config, logger, queues, orm } = deps;
  const metrics = registerSyncMetrics(deps.metrics.registry, {
    orm,
    logger,
    directus: { url: config.DIRECTUS_URL, token: config.DIRECTUS_SYNC_TOKEN },
  });
  const base = { connection, prefix: config.REDIS_PREFIX };
  const log = logger.child({ queue: queueNames.catalogSync });

  // The relay used to run as a BullMQ job scheduler; it is a LISTEN/NOTIFY loop now.
  await queues.outboxRelay.removeJobScheduler('outbox-relay').catch(() => false);
  await queues.catalogSync.setGlobalConcurrency(config.SYNC_MAX_IN_FLIGHT);

  const relay = new OutboxRelay({
    orm,
    queue: queues.catalogSync,
    automation: queues.automation,
    databaseUrl: config.DATABASE_URL,
    logger: log,
    batchSize: config.SYNC_BATCH_MAX,
    maxInFlight: config.SYNC_MAX_IN_FLIGHT,
    lingerMs: config.SYNC_RELAY_LINGER_MS,
  });

  // The delivery workers, catalog and automation, alike.
  const deliveryOptions = {
    ...base,
    // Stored on each job it takes (`processedBy`): which process delivered a batch.
    name: `${hostname()}:${process.pid}`,
    concurrency: config.SYNC_MAX_IN_FLIGHT,
    // A killed worker's batch is delivered again by another within seconds; delivering twice is
    // harmless (the second is stale or answered as a redelivery), so a stall never fails the job.
    ...jobLock(config),
    maxStalledCount: 100,
    settings: { backoffStrategy: (attemptsMade: number) => Math.min(1000 * 2 ** attemptsMade, 60_000) },
  };
  const dispatcher = new Worker(
    queueNames.catalogSync,
    async (job) => {
      const parsed = catalogSyncJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`not a catalog-sync job: ${parsed.error.message}`);
      const summary = await dispatchCatalogJob(
        { config, orm, logger: log, metrics, queue: queues.catalogSync },
        parsed.data,
      );
      log.debug({ jobId: job.id, requestId: parsed.data.requestId, ...summary }, 'catalog batch delivered');
      return summary;
    },
    deliveryOptions,
  );
  // Domain events, one batch per subscribed flow (automation/subscriptions.ts in @lapak/core):
  // signed, logged, retried and dead-lettered as catalog batches are.
  const automationLog = logger.child({ queue: queueNames.automation });
  const automation = new Worker(
    queueNames.automation,
    async (job) => {
      const parsed = automationJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`not an automation job: ${parsed.error.message}`);
      const summary = await dispatchAutomationJob(
        { config, orm, logger: automationLog, queue: queues.automation, metrics },
        parsed.data,
      );
      automationLog.debug({ jobId: job.id, flow: parsed.data.flow, ...summary }, 'domain events delivered');
      return summary;
    },
    deliveryOptions,
  );

  // A job taken or finished makes room for the next batch: relay at once.
  for (const event of ['active', 'completed', 'failed'] as const) dispatcher.on(event, () => relay.kick());
  await relay.start();

  const reconcileQueue = new Queue(catalogReconcileQueueName, base);
  if (config.SYNC_RECONCILE_EVERY_MS > 0) {
    await reconcileQueue.upsertJobScheduler(
      'reconcile-catalog',
      { every: config.SYNC_RECONCILE_EVERY_MS },
      { name: 'reconcile' },
    );
  } else {
    await reconcileQueue.removeJobScheduler('reconcile-catalog');
  }
  const reconciler = new Worker(
    catalogReconcileQueueName,
    async () =>
      reconcileCatalogJob({ config, orm, logger: logger.child({ queue: catalogReconcileQueueName }) }),
    {
      ...base,
      concurrency: 1,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
      lockDuration: 300_000,
    },
  );

  return {
    workers: [dispatcher, automation, reconciler],
    relay,
    metrics,
    async close() {
      await relay.stop();
      await Promise.all([dispatcher.close(), automation.close(), reconciler.close()]);
      await reconcileQueue.close();
    },
  };
}
