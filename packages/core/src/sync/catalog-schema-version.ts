import type { CatalogEvent } from '@lapak/contracts';

/** The schema version of a catalog event on the wire (packages/contracts/src/events.ts). */
export type CatalogSchemaVersion = CatalogEvent['schemaVersion'];

/**
 * The event schema version each catalog-sync flow version accepts: v1 takes schemaVersion 1 (a
 * product without options or variants), v2 takes schemaVersion 2 (all of it). The one place
 * that says so: the dispatcher renders every event for the flow it posts to, and the
 * reconciliation compares what that flow writes. A new flow version is added here.
 */
export const catalogFlowSchemaVersions = { v1: 1, v2: 2 } as const satisfies Record<
  string,
  CatalogSchemaVersion
>;
export type CatalogFlowVersion = keyof typeof catalogFlowSchemaVersions;

export const isCatalogFlowVersion = (version: string): version is CatalogFlowVersion =>
  Object.hasOwn(catalogFlowSchemaVersions, version);

/** The schema version of the events a flow version accepts. */
export function schemaVersionOfFlow(flowVersion: string): CatalogSchemaVersion {
  if (!isCatalogFlowVersion(flowVersion)) {
    throw new Error(
      `catalog-sync ${flowVersion}: no event schema version is known for it (known: ${Object.keys(catalogFlowSchemaVersions).join(', ')})`,
    );
  }
  return catalogFlowSchemaVersions[flowVersion];
}

/** What `product.upserted` data gains in schemaVersion 2. */
const schemaVersion2Fields = new Set(['options', 'variants']);

/**
 * An outbox event (its data holds every field of the newest schema) as a flow of
 * `schemaVersion` receives it: version 1 without the product's options and variants, version 2
 * as it is.
 */
export function renderCatalogEvent(event: CatalogEvent, schemaVersion: CatalogSchemaVersion): CatalogEvent {
  if (schemaVersion === 2) return { ...event, schemaVersion };
  const data = Object.fromEntries(
    Object.entries(event.data).filter(([key]) => !schemaVersion2Fields.has(key)),
  );
  return { ...event, schemaVersion, data };
}
