import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncDeliveryStatus } from '@lapak/contracts';
import { ago, db, jsonb } from '../db/database';
import { SyncDeadLetterRepository } from '../sync/sync-dead-letter.repository';
import { SyncDeliveryRepository } from '../sync/sync-delivery.repository';
import type { SyncEventRef } from '../sync/sync-event-columns';

/**
 * A `product.upserted` outbox event of a product no other row names: relayed unless told
 * otherwise, committed `secondsAgo` seconds ago. Returns the reference its deliveries carry.
 */
export async function makeOutboxEvent(
  em: EntityManager,
  options: { version?: number; relayed?: boolean; secondsAgo?: number } = {},
): Promise<SyncEventRef> {
  const { version = 1, relayed = true, secondsAgo = 0 } = options;
  const eventId = randomUUID();
  const aggregate = { type: 'product' as const, id: randomUUID(), version };
  const { seq } = await db(em)
    .insertInto('outbox_events')
    .values({
      event_id: eventId,
      type: 'product.upserted',
      aggregate_type: aggregate.type,
      aggregate_id: aggregate.id,
      aggregate_version: version,
      payload: jsonb({}),
      occurred_at: ago({ seconds: secondsAgo }),
      relayed_at: relayed ? ago({ seconds: 0 }) : null,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return { eventId, seq: Number(seq), aggregate, flowVersion: 'v1', requestId: 'sync-test' };
}

/** A delivery of `event` in the sync log, as the dispatcher records one with `status`. */
export async function makeDelivery(em: EntityManager, event: SyncEventRef, status: SyncDeliveryStatus) {
  const failed = status === 'error';
  await new SyncDeliveryRepository(em).record([
    {
      ...event,
      attempt: 1,
      status,
      httpStatus: failed ? 502 : 200,
      latencyMs: 42,
      error: failed ? 'flow answered 502' : null,
    },
  ]);
}

/** `event` dead-lettered after `attempts` failed deliveries. */
export async function makeDeadLetter(em: EntityManager, event: SyncEventRef, attempts = 10) {
  await new SyncDeadLetterRepository(em).add([
    { ...event, type: 'product.upserted', attempts, lastError: 'flow answered 500' },
  ]);
}
