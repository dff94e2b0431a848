/**
 * `pnpm directus:snapshot`: writes the current schema of `products`, `categories` and
 * `products_files` from the Directus at DIRECTUS_URL into schema/snapshot.json (after changing the
 * data model in the Studio of a development Directus). Review the diff before committing it.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@lapak/core';
import { DirectusClient } from './src/directus-client';
import { exportSnapshot, snapshotPath } from './src/schema';

try {
  const config = loadConfig();
  if (!config.DIRECTUS_ADMIN_TOKEN)
    throw new ConfigError(['DIRECTUS_ADMIN_TOKEN: required by directus:snapshot (not set)']);
  const snapshot = await exportSnapshot(new DirectusClient(config.DIRECTUS_URL, config.DIRECTUS_ADMIN_TOKEN));
  await writeFile(snapshotPath, `${JSON.stringify(snapshot, null, 2)}\n`);
  console.log(`directus:snapshot: wrote ${fileURLToPath(snapshotPath)}`);
} catch (error) {
  console.error(`directus:snapshot: ${(error as Error).message}`);
  process.exit(1);
}
