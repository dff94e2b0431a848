import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@lapak/core';

/**
 * Runs `read` for `metric` while Prometheus scrapes. A failed read is logged and leaves the metric
 * as it was: one source that cannot be read (PostgreSQL, Redis, Directus) never fails the scrape.
 */
export async function readAtScrape(logger: Logger, metric: string, read: () => Promise<void>) {
  try {
    await read();
  } catch (error) {
    logger.warn({ err: error, metric }, 'metric could not be read');
  }
}

/** The gauges of `registry` that `read` sets at each scrape (see readAtScrape). */
export const scrapedGauges =
  (registry: Registry, logger: Logger) =>
  <Label extends string = never>(
    configuration: { name: string; help: string; labelNames?: readonly Label[] },
    read: (gauge: Gauge<Label>) => Promise<void>,
  ) =>
    new Gauge<Label>({
      ...configuration,
      registers: [registry],
      async collect() {
        await readAtScrape(logger, configuration.name, () => read(this));
      },
    });
