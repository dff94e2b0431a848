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
}

/**
 * Brings a fresh or existing Directus to this project's schema, version fence, roles, policies,
 * permissions and sync user. Idempotent: a second run changes nothing. Returns one line per change.
 */
export async function applyDirectus(options: ApplyDirectusOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
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
