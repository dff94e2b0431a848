import { randomUUID } from 'node:crypto';
import type { CatalogEvent } from '@lapak/contracts';
import type { NewCatalogEvent } from '@lapak/core';

/** A catalog event as the flow receives it: a new event id, schema version 1, occurred now. */
export const wireEvent = (event: NewCatalogEvent): CatalogEvent => ({
  id: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  ...event,
});
