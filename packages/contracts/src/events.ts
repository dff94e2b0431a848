import { z } from 'zod';
import { idSchema } from './common';

/** What a catalog event is about: a product or a category (its `aggregate`). */
export const aggregateTypes = ['product', 'category'] as const;
export type AggregateType = (typeof aggregateTypes)[number];

/** Catalog events: what the outbox holds and what the n8n flow receives (docs/sync.md). */
export const catalogEventTypes = [
  'product.upserted',
  'product.deleted',
  'category.upserted',
  'category.deleted',
] as const;
export type CatalogEventType = (typeof catalogEventTypes)[number];

export const catalogEventSchema = z
  .object({
    id: idSchema,
    type: z.enum(catalogEventTypes),
    /** 2 adds `data.options` and `data.variants` to `product.upserted` (docs/sync.md). */
    schemaVersion: z.union([z.literal(1), z.literal(2)]),
    occurredAt: z.iso.datetime(),
    aggregate: z.object({
      type: z.enum(aggregateTypes),
      id: idSchema,
      version: z.number().int().min(1),
    }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CatalogEvent' });

export type CatalogEvent = z.infer<typeof catalogEventSchema>;

export const catalogEventBatchSchema = z.object({ events: z.array(catalogEventSchema).min(1).max(1000) });

export const eventResultSchema = z.object({
  id: idSchema,
  status: z.enum(['applied', 'stale', 'failed']),
  error: z.string().optional(),
});
export const batchResultSchema = z.object({ results: z.array(eventResultSchema) });
export type EventResult = z.infer<typeof eventResultSchema>;
