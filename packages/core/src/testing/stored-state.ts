import { db } from '../db/database';
import type { Orm } from '../db/orm';

/** A product's stock and version as stored: what a decision, a cancel or an expiry changes. */
export const storedStock = ({ orm }: { orm: Orm }, productId: string) =>
  db(orm.em.fork())
    .selectFrom('products')
    .select(['stock', 'version'])
    .where('id', '=', productId)
    .executeTakeFirstOrThrow();

/** An order's status and failure reason as stored. */
export const storedStatus = ({ orm }: { orm: Orm }, orderId: string) =>
  db(orm.em.fork())
    .selectFrom('orders')
    .select(['status', 'failure_reason'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
