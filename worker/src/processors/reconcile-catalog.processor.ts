import type { Config, Logger, Orm } from '@lapak/core';
import { reconcileCatalog, type ReconcileReport } from '../sync/catalog-reconciler';

/** The scheduled reconciliation: compare, repair, prune; the summary is the job's result. */
export async function reconcileCatalogJob(deps: {
  config: Pick<
    Config,
    | 'DIRECTUS_URL'
    | 'DIRECTUS_SYNC_TOKEN'
    | 'SYNC_FLOW_VERSION'
    | 'SYNC_RECONCILE_GRACE_MS'
    | 'SYNC_RETENTION_DAYS'
  >;
  orm: Orm;
  logger: Logger;
}): Promise<Omit<ReconcileReport, 'drift'> & { drift: number }> {
  const report = await reconcileCatalog({
    orm: deps.orm,
    flowVersion: deps.config.SYNC_FLOW_VERSION,
    directusUrl: deps.config.DIRECTUS_URL,
    directusToken: deps.config.DIRECTUS_SYNC_TOKEN,
    graceMs: deps.config.SYNC_RECONCILE_GRACE_MS,
    retentionDays: deps.config.SYNC_RETENTION_DAYS,
    logger: deps.logger,
  });
  return { ...report, drift: report.drift.length };
}
