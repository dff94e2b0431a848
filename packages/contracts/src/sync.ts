import { z } from 'zod';
import { cursorQuery, idSchema, page } from './common';
import { domainAggregateTypes } from './domain-events';
import { aggregateTypes } from './events';

/**
 * What became of one event in one delivery attempt: the flow's answer (`applied`, `stale`,
 * `failed`), `error` when the flow could not be reached or answered badly, or `superseded` when
 * the dispatcher did not send it because a newer version of the same aggregate exists.
 */
export const syncDeliveryStatuses = ['applied', 'stale', 'failed', 'error', 'superseded'] as const;
export type SyncDeliveryStatus = (typeof syncDeliveryStatuses)[number];

const aggregateSchema = z.object({
  type: z.enum([...aggregateTypes, ...domainAggregateTypes]),
  id: idSchema,
  version: z.number().int(),
});

export const syncDeliverySchema = z
  .object({
    id: z.string().meta({ description: 'Delivery log entry id' }),
    eventId: idSchema,
    seq: z.number().int().meta({ description: 'Outbox sequence number of the event' }),
    aggregate: aggregateSchema,
    flowVersion: z.string().meta({
      description:
        'The catalog flow version it was sent to (v1), or the automation flow (order-notifications-v1)',
    }),
    attempt: z.number().int(),
    status: z.enum(syncDeliveryStatuses),
    httpStatus: z.number().int().nullable(),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SyncDelivery' });

export const syncDeliveryListQuerySchema = z.strictObject({
  ...cursorQuery,
  status: z.enum(syncDeliveryStatuses).optional(),
});
export const syncDeliveryPageSchema = page(syncDeliverySchema).meta({ id: 'SyncDeliveryPage' });

export const syncDeadLetterSchema = z
  .object({
    eventId: idSchema,
    seq: z.number().int(),
    type: z.string(),
    aggregate: aggregateSchema,
    flowVersion: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    requestId: z.string().nullable(),
    deadAt: z.iso.datetime(),
    replayedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SyncDeadLetter' });

export const syncDeadLetterListQuerySchema = z.strictObject({ ...cursorQuery });
export const syncDeadLetterPageSchema = page(syncDeadLetterSchema).meta({ id: 'SyncDeadLetterPage' });

export const syncStatsSchema = z
  .object({
    outbox: z.object({
      backlog: z.number().int().meta({ description: 'Committed events not yet relayed' }),
      oldestAgeSeconds: z.number().meta({ description: 'Age of the oldest unrelayed event (0 when none)' }),
    }),
    deliveriesLastHour: z
      .object(
        Object.fromEntries(syncDeliveryStatuses.map((s) => [s, z.number().int()])) as Record<
          SyncDeliveryStatus,
          z.ZodNumber
        >,
      )
      .meta({ description: 'Delivery log entries of the last hour by status' }),
    deadLetters: z.number().int().meta({ description: 'Dead-lettered events not replayed' }),
    lastSuccessAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When an event was last applied in Directus' }),
  })
  .meta({ id: 'SyncStats' });

/**
 * A catalog-sync job: outbox sequence numbers to deliver together, the attempt it is, and the
 * request id that travels as `X-Request-Id` to the flow and back into the delivery log.
 */
export const catalogSyncJobSchema = z.object({
  seqs: z.array(z.number().int().min(1)).min(1).max(1000),
  attempt: z.number().int().min(1),
  requestId: z.string().min(1).max(128),
});

export type SyncDelivery = z.infer<typeof syncDeliverySchema>;
export type SyncDeliveryListQuery = z.infer<typeof syncDeliveryListQuerySchema>;
export type SyncDeadLetter = z.infer<typeof syncDeadLetterSchema>;
export type SyncDeadLetterListQuery = z.infer<typeof syncDeadLetterListQuerySchema>;
export type SyncStats = z.infer<typeof syncStatsSchema>;
export type CatalogSyncJob = z.infer<typeof catalogSyncJobSchema>;
