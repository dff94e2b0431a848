import { aggregate, deleteItems, readItems } from '@directus/sdk';
import { directusRequest, type DirectusAccess } from './directus';

/**
 * The version fence's bookkeeping in Directus (directus/sql/version-fence.sql), read and pruned
 * with the sync user's token: how many late writes it refused, and the tombstones of deletes.
 */

/** Late writes the fence refused, per collection, since it was installed. */
export async function readFenceRefusals(
  access: DirectusAccess,
  timeoutMs?: number,
): Promise<Map<string, number>> {
  const rows = await directusRequest(
    access,
    'GET /items/sync_fence_refusals',
    readItems('sync_fence_refusals', { fields: ['id', 'refused'], limit: -1 }),
    timeoutMs,
  );
  return new Map(rows.map((row) => [row.id, Number(row.refused)]));
}

/** Deletes the items of `collection` whose `field` is before `before`; returns how many. */
async function pruneBefore(
  access: DirectusAccess,
  collection: 'sync_tombstones' | 'sync_webhook_receipts',
  field: 'deleted_at' | 'received_at',
  before: Date,
) {
  const filter = { [field]: { _lt: before.toISOString() } };
  const [counted] = await directusRequest(
    access,
    `GET /items/${collection} (count)`,
    aggregate(collection, { aggregate: { count: '*' }, query: { filter } }),
  );
  const count = Number(counted?.count ?? 0);
  if (count > 0) {
    await directusRequest(
      access,
      `DELETE /items/${collection}`,
      deleteItems(collection, { filter, limit: -1 }),
      60_000,
    );
  }
  return count;
}

/**
 * Deletes the tombstones of deletes older than `days`: after that long no late write of the
 * deleted item is still on its way (and reconciliation would repair one that came back).
 */
export const pruneTombstones = (access: DirectusAccess, days: number): Promise<number> =>
  pruneBefore(access, 'sync_tombstones', 'deleted_at', new Date(Date.now() - days * 86_400_000));

/**
 * How long the flow keeps a batch's webhook-id: past the signature's 5 minutes a replayed batch is
 * refused for its timestamp, so the receipt is no longer needed; twice that, for clock skew.
 */
export const webhookReceiptMs = 10 * 60_000;

/** Deletes the webhook receipts older than `webhookReceiptMs`. */
export const pruneWebhookReceipts = (access: DirectusAccess): Promise<number> =>
  pruneBefore(access, 'sync_webhook_receipts', 'received_at', new Date(Date.now() - webhookReceiptMs));
