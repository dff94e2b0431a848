import type { Selectable } from 'kysely';
import type { Database } from '../database';

/**
 * What `product_upserted_event(products)` returns (db/sql/product-upserted-event.sql): an
 * `outbox_events` row but for the event's own id, typed from the entity it is inserted into.
 */
export type ProductUpsertedEventRow = Pick<
  Selectable<Database['outbox_events']>,
  'type' | 'aggregate_type' | 'aggregate_id' | 'aggregate_version' | 'payload'
>;
