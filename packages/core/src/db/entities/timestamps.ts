import { p } from '@mikro-orm/core';

/**
 * A timestamp the database defaults to now(), also set when MikroORM creates the entity so a
 * new one has it without reading the row back.
 */
export const nowOnCreate = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date());

/** `created_at` and `updated_at`, as every table that is changed in place has them. */
export const timestamps = () => ({ createdAt: nowOnCreate(), updatedAt: nowOnCreate() });
