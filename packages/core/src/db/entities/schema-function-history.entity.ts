import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The definition of a PostgreSQL function as it was before a migration's `up()` replaced or
 * dropped it, which that migration's `down()` creates again (db/migrations/function-history.ts).
 * Only migrations read and write it.
 */
export const SchemaFunctionHistory = defineEntity({
  name: 'SchemaFunctionHistory',
  tableName: 'schema_function_history',
  properties: {
    migration: p.text().primary(),
    name: p.text().primary(),
    definition: p.text(),
    savedAt: p.datetime().defaultRaw('now()'),
  },
  primaryKeys: ['migration', 'name'],
});

export type SchemaFunctionHistory = InferEntity<typeof SchemaFunctionHistory>;
