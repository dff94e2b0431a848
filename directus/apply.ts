/**
 * `pnpm directus:apply`: applies the schema (schema/snapshot.json), roles, policies, permissions
 * and the sync user to the Directus at DIRECTUS_URL, using DIRECTUS_ADMIN_TOKEN, installs the
 * version fence (sql/version-fence.sql) into its database at DIRECTUS_DB_URL, and prints what
 * it changed. The sync user gets DIRECTUS_SYNC_TOKEN as its static token; a development token
 * only with NODE_ENV=development.
 */
import { ConfigError, loadConfig } from '@lapak/core';
import { applyDirectus } from './src/apply-directus';

try {
  // In production only the secrets this tool uses are required (and all it is given are judged).
  const config = loadConfig(process.env, {
    requiredSecrets: ['DIRECTUS_ADMIN_TOKEN', 'DIRECTUS_SYNC_TOKEN'],
  });
  if (!config.DIRECTUS_ADMIN_TOKEN)
    throw new ConfigError(['DIRECTUS_ADMIN_TOKEN: required by directus:apply (not set)']);
  if (!config.DIRECTUS_DB_URL)
    throw new ConfigError(['DIRECTUS_DB_URL: required by directus:apply (not set): the version fence']);
  console.log(`directus:apply: ${config.DIRECTUS_URL}`);
  const changes = await applyDirectus({
    url: config.DIRECTUS_URL,
    adminToken: config.DIRECTUS_ADMIN_TOKEN,
    syncToken: config.DIRECTUS_SYNC_TOKEN,
    databaseUrl: config.DIRECTUS_DB_URL,
    nodeEnv: config.NODE_ENV,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(
    changes.length ? `directus:apply: ${changes.length} change(s)` : 'directus:apply: nothing to change',
  );
} catch (error) {
  console.error(`directus:apply: ${(error as Error).message}`);
  process.exit(1);
}
