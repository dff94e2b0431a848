import { developmentMarkerIn, type Config } from '@lapak/core';
import { applyAccess } from './access';
import { DirectusClient, waitForDirectus } from './directus-client';
import { applySchema } from './schema';
import { applyVersionFence } from './version-fence';

export interface ApplyDirectusOptions {
  url: string;
  adminToken: string;
  syncToken: string;
  /** Directus's own PostgreSQL database, where the version fence is installed. */
  databaseUrl: string;
  /** Receives one line per change (default: nothing). */
  log?: (line: string) => void;
  /**
   * Where this Directus runs: a development token (one carrying a development marker, as the
   * local default does) is installed only in development. Unsaid, it is not development.
   */
  nodeEnv?: Config['NODE_ENV'];
}

/**
 * Refuses to make a development token the sync user's outside development: whoever read this
 * repository would hold a working token of that Directus.
 */
export function checkSyncToken(syncToken: string, nodeEnv: Config['NODE_ENV'] = 'production'): void {
  const marker = developmentMarkerIn(syncToken);
  if (marker && nodeEnv !== 'development') {
    throw new Error(
      `DIRECTUS_SYNC_TOKEN: a development token (it contains "${marker}") is installed only with NODE_ENV=development (this is ${nodeEnv}); generate one: openssl rand -hex 32`,
    );
  }
}

/**
 * Brings a fresh or existing Directus to this project's schema, version fence, roles, policies,
 * permissions and sync user. Idempotent: a second run changes nothing. Returns one line per change.
 */
export async function applyDirectus(options: ApplyDirectusOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  checkSyncToken(options.syncToken, options.nodeEnv);
  await waitForDirectus(options.url);
  const admin = new DirectusClient(options.url, options.adminToken);
  const changes: string[] = [];
  for (const line of await applySchema(admin)) {
    changes.push(`schema: ${line}`);
    log(`schema: ${line}`);
  }
  for (const line of await applyVersionFence(options.databaseUrl)) {
    changes.push(`fence: ${line}`);
    log(`fence: ${line}`);
  }
  for (const line of await applyAccess(admin, { syncToken: options.syncToken })) {
    changes.push(`access: ${line}`);
    log(`access: ${line}`);
  }
  return changes;
}
