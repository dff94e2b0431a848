import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SyncDeliveryStatus } from '@lapak/contracts';
import { SyncAdminService, type Logger, type Orm } from '@lapak/core';
import type { DirectusAccess } from '../sync/directus';
import { readFenceRefusals } from '../sync/directus-fence';
import { readAtScrape, scrapedGauges } from './read-at-scrape';

/** The `result` label of lapak_sync_deliveries_total (a superseded event counts as stale). */
export type SyncResult = Exclude<SyncDeliveryStatus, 'superseded'>;

/**
 * The catalog sync's metrics, registered on the worker's registry (the worker serves them on
 * /metrics). The outbox backlog gauges live with the worker's other gauges.
 */
export function registerSyncMetrics(
  registry: Registry,
  options: { orm: Orm; logger: Logger; directus?: DirectusAccess },
) {
  const existing = registry.getSingleMetric('lapak_sync_deliveries_total');
  if (existing) throw new Error('sync metrics are registered on this registry already');
  const deliveries = new Counter({
    name: 'lapak_sync_deliveries_total',
    help: 'Catalog events delivered to the n8n flow, by flow version and result',
    labelNames: ['flow_version', 'result'] as const,
    registers: [registry],
  });
  const deliveryDuration = new Histogram({
    name: 'lapak_sync_delivery_duration_seconds',
    help: 'Time from posting a batch to the flow to its answer',
    labelNames: ['flow_version'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'lapak_sync_lag_seconds',
    help: 'Time from the outbox commit of a change to its version being readable in Directus',
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'lapak_sync_last_success_timestamp_seconds',
    help: 'Unix time of the last batch the flow answered (0 before the first)',
    registers: [registry],
  });
  const gauge = scrapedGauges(registry, options.logger);
  gauge(
    { name: 'lapak_sync_dead_letters', help: 'Dead-lettered catalog events not replayed' },
    async (deadLetters) =>
      deadLetters.set(await new SyncAdminService(options.orm.em.fork()).openDeadLetters()),
  );
  // Counted by the fence in Directus's database, where a late write is refused: a refused write
  // of a delivery the dispatcher gave up on is answered to no one, so it is counted at the source.
  const seen = new Map<string, number>();
  const directus = options.directus;
  const fenced = new Counter({
    name: 'lapak_sync_fenced_writes_total',
    help: 'Late catalog-sync writes refused by the version fence in Directus, by collection',
    labelNames: ['collection'] as const,
    registers: [registry],
    async collect() {
      if (!directus) return;
      await readAtScrape(options.logger, 'lapak_sync_fenced_writes_total', async () => {
        for (const [collection, refused] of await readFenceRefusals(directus, 2000)) {
          const delta = refused - (seen.get(collection) ?? 0);
          if (delta > 0) this.inc({ collection }, delta);
          seen.set(collection, Math.max(refused, seen.get(collection) ?? 0));
        }
      });
    },
  });
  // Served from the start (at 0) for every fenced collection, so a rate is never "no data".
  for (const collection of ['products', 'categories']) fenced.inc({ collection }, 0);
  return { deliveries, deliveryDuration, lag, lastSuccess };
}

export type SyncMetrics = ReturnType<typeof registerSyncMetrics>;
