import { db } from '../db/database';
import type { Orm } from '../db/orm';
import { SyncDeadLetterRepository } from '../sync/sync-dead-letter.repository';
import { SyncDeliveryRepository } from '../sync/sync-delivery.repository';

/** The row `id` of `table` as stored now (read on a fresh entity manager), to select from. */
const storedRow = ({ orm }: { orm: Orm }, table: 'products' | 'orders', id: string) =>
  db(orm.em.fork()).selectFrom(table).where('id', '=', id);

/** A product's stock and version as stored: what a decision, a cancel or an expiry changes. */
export const storedStock = (env: { orm: Orm }, productId: string) =>
  storedRow(env, 'products', productId).select(['stock', 'version']).executeTakeFirstOrThrow();

/** An order's status and failure reason as stored. */
export const storedStatus = (env: { orm: Orm }, orderId: string) =>
  storedRow(env, 'orders', orderId).select(['status', 'failure_reason']).executeTakeFirstOrThrow();

/** The sync's delivery log as stored, newest first (catalog and automation flows alike). */
export const storedDeliveries = (
  env: { orm: Orm },
  options: Parameters<SyncDeliveryRepository['list']>[0] = { limit: 100 },
) => new SyncDeliveryRepository(env.orm.em.fork()).list(options);

/** The open dead letters as stored, newest first. */
export const storedDeadLetters = (env: { orm: Orm }, options = { limit: 100 }) =>
  new SyncDeadLetterRepository(env.orm.em.fork()).listOpen(options);
