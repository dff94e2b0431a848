/**
 * `pnpm --filter @lapak/worker sync:reconcile [--dry-run] [--grace <ms>]`: compares PostgreSQL
 * with Directus now (the worker also does it every SYNC_RECONCILE_EVERY_MS), re-emits events for
 * what differs, and prints what it found and fixed. A running worker delivers the repairs.
 */
import { parseArgs } from 'node:util';
import { createOrm, loadConfigOrExit } from '@lapak/core';
import { reconcileCatalog } from '../sync/catalog-reconciler';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: { 'dry-run': { type: 'boolean', default: false }, grace: { type: 'string' } },
});
const config = loadConfigOrExit('sync:reconcile');
const grace = values.grace === undefined ? config.SYNC_RECONCILE_GRACE_MS : Number(values.grace);
if (!Number.isInteger(grace) || grace < 0) {
  fail('sync:reconcile: --grace must be a number of milliseconds');
  process.exit(2);
}
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
try {
  const report = await reconcileCatalog({
    orm,
    flowVersion: config.SYNC_FLOW_VERSION,
    directusUrl: config.DIRECTUS_URL,
    directusToken: config.DIRECTUS_SYNC_TOKEN,
    graceMs: grace,
    dryRun: values['dry-run'],
  });
  say(
    `sync:reconcile: checked ${report.checked.products} products and ${report.checked.categories} categories` +
      ` (${report.skippedRecent} changed in the last ${grace} ms left alone)`,
  );
  for (const d of report.drift.slice(0, 50)) {
    const fields = d.fields ? ` [${d.fields.join(', ')}]` : '';
    const variant = d.variant ? ` variant ${d.variant}` : '';
    say(
      `  ${d.type} ${d.id}${variant}: ${d.kind}${fields} (PostgreSQL v${d.postgresVersion ?? '-'}, Directus v${d.directusVersion ?? '-'})`,
    );
  }
  if (report.drift.length > 50) say(`  … and ${report.drift.length - 50} more`);
  say(
    values['dry-run']
      ? `sync:reconcile: found ${report.drift.length} (dry run: nothing re-emitted)`
      : `sync:reconcile: found ${report.drift.length}, re-emitted ${report.reemitted} event(s)`,
  );
} catch (error) {
  fail(`sync:reconcile: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
