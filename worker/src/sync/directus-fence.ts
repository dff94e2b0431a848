/**
 * The version fence's bookkeeping in Directus (directus/sql/version-fence.sql), read and pruned
 * with the sync user's token: how many late writes it refused, and the tombstones of deletes.
 */
export interface DirectusAccess {
  url: string;
  token: string;
}

async function call(
  access: DirectusAccess,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
) {
  const response = await fetch(new URL(path, access.url), {
    method,
    headers: {
      authorization: `Bearer ${access.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    throw new Error(
      `Directus ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  }
  return response.status === 204 ? null : ((await response.json()) as { data: unknown });
}

/** Late writes the fence refused, per collection, since it was installed. */
export async function readFenceRefusals(
  access: DirectusAccess,
  timeoutMs?: number,
): Promise<Map<string, number>> {
  const answer = await call(
    access,
    'GET',
    '/items/sync_fence_refusals?fields=id,refused&limit=-1',
    undefined,
    timeoutMs,
  );
  const rows = (answer?.data ?? []) as { id: string; refused: number | string }[];
  return new Map(rows.map((row) => [row.id, Number(row.refused)]));
}

/** Deletes the items of `collection` whose `field` is before `before`; returns how many. */
async function pruneBefore(access: DirectusAccess, collection: string, field: string, before: Date) {
  const filter = { [field]: { _lt: before.toISOString() } };
  const query = new URLSearchParams({ 'aggregate[count]': '*', filter: JSON.stringify(filter) });
  const counted = await call(access, 'GET', `/items/${collection}?${query}`);
  const count = Number((counted?.data as { count: number | string }[] | undefined)?.[0]?.count ?? 0);
  if (count > 0)
    await call(access, 'DELETE', `/items/${collection}`, { query: { filter, limit: -1 } }, 60_000);
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
