/**
 * `pnpm directus:apply`: applies the schema (schema/snapshot.json), roles, policies, permissions
 * and the sync user to the Directus at DIRECTUS_URL, using DIRECTUS_ADMIN_TOKEN, and prints what
 * it changed. The sync user gets DIRECTUS_SYNC_TOKEN as its static token.
 */
import { ConfigError, loadConfig } from '@lapak/core';
import { applyDirectus } from './src/apply-directus';

try {
  const config = loadConfig();
  if (!config.DIRECTUS_ADMIN_TOKEN)
    throw new ConfigError(['DIRECTUS_ADMIN_TOKEN: required by directus:apply (not set)']);
  console.log(`directus:apply: ${config.DIRECTUS_URL}`);
  const changes = await applyDirectus({
    url: config.DIRECTUS_URL,
    adminToken: config.DIRECTUS_ADMIN_TOKEN,
    syncToken: config.DIRECTUS_SYNC_TOKEN,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(
    changes.length ? `directus:apply: ${changes.length} change(s)` : 'directus:apply: nothing to change',
  );
} catch (error) {
  console.error(`directus:apply: ${(error as Error).message}`);
  process.exit(1);
}
