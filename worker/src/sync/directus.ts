import {
  createDirectus,
  isDirectusError,
  rest,
  staticToken,
  withOptions,
  type RestCommand,
} from '@directus/sdk';
import type { DirectusItem } from '@lapak/core';

/** Where the worker reads Directus, and the sync user's token it reads with. */
export interface DirectusAccess {
  url: string;
  token: string;
}

/** The collections the worker reads and prunes, as the sync user sees them. */
export interface SyncSchema {
  products: DirectusItem[];
  categories: DirectusItem[];
  product_variants: DirectusItem[];
  sync_fence_refusals: { id: string; refused: number | string }[];
  sync_tombstones: { id: string; deleted_at: string }[];
  sync_webhook_receipts: { id: string; received_at: string }[];
}

export type CatalogCollection = 'products' | 'categories' | 'product_variants';

/**
 * Sends one REST command with the sync user's token. A request that takes longer than
 * `timeoutMs` is aborted, so a hung Directus cannot hold a reconciliation or a scrape, and an
 * error answer becomes an Error naming the request and what Directus said.
 */
export async function directusRequest<Output>(
  access: DirectusAccess,
  what: string,
  command: RestCommand<Output, SyncSchema>,
  timeoutMs = 10_000,
): Promise<Output> {
  const client = createDirectus<SyncSchema>(access.url).with(staticToken(access.token)).with(rest());
  try {
    return await client.request(withOptions(command, { signal: AbortSignal.timeout(timeoutMs) }));
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new Error(`Directus ${what} did not answer within ${timeoutMs} ms`, { cause: error });
    }
    if (!isDirectusError(error)) throw error;
    throw new Error(`Directus ${what} answered ${error.response.status}: ${error.message.slice(0, 300)}`, {
      cause: error,
    });
  }
}
