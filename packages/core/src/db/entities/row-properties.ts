import { p } from '@mikro-orm/core';
import { timestamps } from './timestamps';

/**
 * What a row the application creates and changes in place has: its id (a UUIDv7 from `newId`,
 * db/ids.ts) as the primary key, and `created_at` and `updated_at`.
 */
export const rowProperties = () => ({ id: p.uuid().primary(), ...timestamps() });

/**
 * A catalog row (product, category) also has its version, which every change bumps (from 1) and
 * the catalog sync sends as the aggregate's version, and a soft delete: a deleted row stays, with
 * `deleted_at` set, so its delete can still be synced.
 */
export const catalogRowProperties = () => ({
  ...rowProperties(),
  version: p.integer().default(1),
  deletedAt: p.datetime().nullable(),
});
