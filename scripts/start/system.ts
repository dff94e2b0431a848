import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyDirectus } from '../../directus/src/apply-directus';
import { demoLogins, loadDemoData, type DemoLogins } from '../demo-data';
import { installCms, type CmsInstall } from '../cms';
import { directusCommand, maildevCommand, n8nCommand } from './cms';
import { deployFlows } from './flows';
import { fingerprint, unlessUnchanged } from './fingerprint';
import { freePort, waitForHttp, type Services } from './processes';
import { step } from './progress';
import { repoRoot, type RunSettings } from './settings';
import { webBuildEnv } from './web';

const startTimeout = 180_000;

/** Node with tsx's loader, running a workspace package's entry point in that package's folder. */
function tsxService(settings: RunSettings, name: string, dir: string, entry: string) {
  return {
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, dir, entry)],
    cwd: join(repoRoot, dir),
    env: settings.env,
  };
}

/** A function for waitForHttp: the message when `name` died while we waited for it. */
const whileAlive = (services: Services, name: string) => () =>
  services.isRunning(name) ? null : `${name} stopped while starting; see ${services.logPath(name)}`;

async function startApiAndWorker(settings: RunSettings, services: Services) {
  services.start(tsxService(settings, 'api', 'api', 'src/main.ts'));
  services.start(tsxService(settings, 'worker', 'worker', 'src/main.ts'));
  await step('API and worker', async () => {
    await waitForHttp(`${settings.urls.api}/readyz`, 60_000, whileAlive(services, 'api'));
    await waitForHttp(`${settings.urls.workerMetrics}/readyz`, 60_000, whileAlive(services, 'worker'));
  });
}

async function startWeb(settings: RunSettings, services: Services) {
  if (!existsSync(join(repoRoot, 'web/index.html'))) {
    console.log('  - storefront: web/ has no app yet');
    return;
  }
  const vite = join(repoRoot, 'web/node_modules/vite/bin/vite.js');
  const env = { ...settings.env, ...webBuildEnv(settings), NO_COLOR: '1' };
  // Built into this instance's state, so that instances (and the storefront's own tests) never share it.
  const outDir = join(settings.stateDir, 'web-dist');
  const inputs = fingerprint(
    repoRoot,
    [
      'web/src',
      'web/public',
      'web/build',
      'web/index.html',
      'web/vite.config.ts',
      'web/package.json',
      'packages/contracts/src',
    ],
    [JSON.stringify(webBuildEnv(settings))],
  );
  await step(
    'storefront build',
    () =>
      unlessUnchanged(
        settings.stateDir,
        'web-build',
        existsSync(join(repoRoot, 'web/dist')) ? inputs : '',
        () =>
          services.run({
            name: 'web-build',
            command: process.execPath,
            args: [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
            cwd: join(repoRoot, 'web'),
            env,
          }),
      ),
    (result) => (result === 'unchanged' ? 'unchanged, skipped' : 'built'),
  );
  services.start({
    name: 'web',
    command: process.execPath,
    args: [
      vite,
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(settings.ports.web),
      '--strictPort',
      '--outDir',
      outDir,
    ],
    cwd: join(repoRoot, 'web'),
    env,
  });
  await step('storefront', () => waitForHttp(settings.urls.web, 60_000, whileAlive(services, 'web')));
}

async function startDirectus(settings: RunSettings, services: Services, install: CmsInstall) {
  const version = install.directusHome.split('-').at(-1)!;
  await step(
    'Directus database',
    () =>
      unlessUnchanged(settings.stateDir, 'directus-bootstrap', `${version}`, () =>
        services.run({ name: 'directus-bootstrap', ...directusCommand(install, settings, ['bootstrap']) }),
      ),
    (result) => (result === 'unchanged' ? 'bootstrapped before' : 'bootstrapped'),
  );
  services.start({ name: 'directus', ...directusCommand(install, settings, ['start']) });
  await step('Directus', () =>
    waitForHttp(`${settings.urls.directus}/server/ping`, startTimeout, whileAlive(services, 'directus')),
  );
  await step(
    'Directus schema, roles and sync user',
    () =>
      unlessUnchanged(
        settings.stateDir,
        'directus-schema',
        fingerprint(
          repoRoot,
          ['directus/schema', 'directus/sql', 'directus/src'],
          [version, settings.config.DIRECTUS_SYNC_TOKEN],
        ),
        async () => {
          await applyDirectus({
            url: settings.urls.directus,
            adminToken: settings.DIRECTUS_ADMIN_TOKEN,
            syncToken: settings.config.DIRECTUS_SYNC_TOKEN,
            databaseUrl: settings.databaseUrls.directus,
            nodeEnv: settings.config.NODE_ENV,
          });
        },
      ),
    (result) => (result === 'unchanged' ? 'unchanged, skipped' : 'applied'),
  );
}

async function startN8n(settings: RunSettings, services: Services, install: CmsInstall) {
  await deployFlows(settings, install);
  // Taken just before n8n binds it: a port fixed in advance (n8n's own 5679, or the one above
  // N8N_URL's) can meanwhile be taken by an outgoing connection, and n8n then exits without a word.
  const brokerPort = await freePort();
  services.start({
    name: 'n8n',
    ...n8nCommand(install, settings, ['start'], brokerPort),
    // A restart gets a broker port of its own too, for the same reason.
    refresh: async () => ({ name: 'n8n', ...n8nCommand(install, settings, ['start'], await freePort()) }),
  });
  await step('n8n', () =>
    waitForHttp(`${settings.urls.n8n}/healthz/readiness`, startTimeout, whileAlive(services, 'n8n')),
  );
}

/** MailDev, when the shop's mails go to this machine (SMTP_HOST local): the newcomer's inbox. */
async function startMaildev(settings: RunSettings, services: Services, install: CmsInstall) {
  if (!settings.urls.mail) return;
  services.start({ name: 'maildev', ...maildevCommand(install, settings) });
  await step('MailDev', () =>
    waitForHttp(`${settings.urls.mail}/api/healthz`, 60_000, whileAlive(services, 'maildev')),
  );
}

/** Starts every service in dependency order, as much as possible at once; returns the logins. */
export async function startSystem(settings: RunSettings, services: Services): Promise<DemoLogins | null> {
  const apiAndWorker = startApiAndWorker(settings, services);
  const web = startWeb(settings, services);
  const install = await step(
    'Directus, n8n and MailDev installed (the first run installs them, ~10 min)',
    () => installCms(),
  );
  await Promise.all([
    apiAndWorker,
    web,
    startDirectus(settings, services, install),
    startN8n(settings, services, install),
    startMaildev(settings, services, install),
  ]);
  if (settings.LAPAK_DEMO_DATA === 'false') return null;
  return step('demo catalog and logins', () => demoData(settings));
}

/**
 * Loads the demo data, or skips it when it was loaded completely (editor content included) with
 * the same loader into the same databases before.
 */
async function demoData(settings: RunSettings): Promise<DemoLogins> {
  const print = fingerprint(repoRoot, ['scripts/demo-data.ts', 'scripts/demo-data']);
  const marker = join(settings.stateDir, 'applied', 'demo-data.sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === print) return demoLogins(0);
  const logins = await loadDemoData(settings);
  if (logins.notSynced === 0) {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, print);
  }
  return logins;
}
