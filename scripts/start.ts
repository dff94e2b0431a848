/**
 * The native run command (`pnpm start`): the whole system on this machine without Docker.
 *
 * Uses the local PostgreSQL and Redis (and says which one is missing), installs the pinned
 * Directus and n8n into the cache on first use, creates the databases and a role per service
 * (none a superuser), migrates as the owner role, applies the
 * Directus schema, deploys the n8n flows, starts the API, worker, storefront, Directus and n8n,
 * loads the demo catalog and logins, prints where everything is, and stops it all on Ctrl-C.
 * Steps whose inputs did not change since the last run are skipped, so a second start is quick.
 * docs/running.md explains each step and setting.
 */
import { join } from 'node:path';
import { checkServices } from '@lapak/core';
import { ensureRolesAndDatabases, migrateLapak } from './start/database';
import { Services, freePort } from './start/processes';
import { step } from './start/progress';
import { loadRunSettings, withApiMetricsPort, type RunSettings } from './start/settings';
import { forgetApplied } from './start/fingerprint';
import { startSystem } from './start/system';
import { printSummary } from './start/summary';

let settings: RunSettings;
try {
  settings = loadRunSettings();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
settings = withApiMetricsPort(settings, await freePort());

const problem = await checkServices(settings.config.DATABASE_URL, settings.config.REDIS_URL);
if (problem) {
  console.error(problem);
  process.exit(1);
}

const services = new Services(join(settings.stateDir, 'logs'));
let stopping: Promise<never> | null = null;
function stop(code: number, reason?: string): Promise<never> {
  stopping ??= (async () => {
    if (reason) console.error(`\n${reason}`);
    console.log('\nStopping everything…');
    await services.stopAll();
    console.log('Stopped.');
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
services.onUnexpectedExit = (name, detail) => {
  void stop(1, `${name} ${detail}\n${services.tail(name)}`);
};
services.onRestart = (name, detail, delayMs) => {
  console.error(`${name} ${detail}; restarting it in ${(delayMs / 1000).toFixed(0)} s`);
};

console.log(`Lapak: starting (state and logs in ${settings.stateDir})`);
try {
  const { lapak, directus } = settings.databases;
  const { roles, databaseUrls } = settings;
  // Also makes each service's role (none a superuser) and gives each database to its owner.
  await step(
    'databases',
    async () => {
      const created = await ensureRolesAndDatabases(databaseUrls.admin, {
        databases: [
          { name: lapak, owner: roles.owner },
          { name: directus, owner: roles.directus },
        ],
        others: [roles.app],
      });
      // A database made afresh needs everything applied to it again.
      if (created.includes(directus)) forgetApplied(settings.stateDir, ['directus-', 'demo-']);
      if (created.includes(lapak)) forgetApplied(settings.stateDir, ['demo-']);
      return created;
    },
    (created) => (created.length ? `created ${created.join(', ')}` : 'present'),
  );
  await step(
    'migrations',
    () => migrateLapak(databaseUrls.owner, roles.app.name),
    (applied) => (applied.length ? `applied ${applied.length}` : 'up to date'),
  );
  const logins = await startSystem(settings, services);
  // Up: from now on a service that dies is started again instead of stopping everything.
  services.keepRunning();
  printSummary(settings, services, logins);
} catch (error) {
  if (!stopping) await stop(1, `Start failed: ${(error as Error).message}`);
}
