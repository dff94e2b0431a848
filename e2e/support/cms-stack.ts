import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCms, maildevArgs, maildevCli, n8nCli } from '../../scripts/cms';
import { applyDirectus } from '../../directus/src/apply-directus';
import { deployFlows } from '../../n8n-workflows/src/deploy-flows';
import { loadFlows, type Flow } from '../../n8n-workflows/src/flows';
import { startHoldingProxy, type HoldingProxy } from './holding-proxy';
import { freePort } from '../../scripts/start/processes';
import { ServiceProcess } from './service-process';
import { testDirectus } from './test-directus';

/** Where service logs go (kept after the run; the folder is ignored by git). */
export const artifactsDir = fileURLToPath(new URL('../artifacts', import.meta.url));

export interface CmsStackOptions {
  /** Any database URL of the PostgreSQL server; Directus gets a database of its own on it. */
  databaseUrl: string;
  /** Names the Directus database (`lapak_t_<runId>_directus`) and the log folder. */
  runId: string;
  webhookSecret: string;
  /** Flows to deploy besides those of n8n-workflows/ (a benchmark's baseline). */
  extraFlows?: Flow[];
  /** Puts a proxy that can hold chosen writes between n8n and Directus (e2e/support/holding-proxy.ts). */
  holdingProxy?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Directus settings over the defaults below (a benchmark's cache settings, say). */
  directusEnv?: Record<string, string>;
}

export interface CmsStack {
  directus: {
    url: string;
    adminToken: string;
    syncToken: string;
    process: ServiceProcess;
    /** The environment it runs with, for another Directus process on the same database. */
    env: Readonly<NodeJS.ProcessEnv>;
    /** Directus's own PostgreSQL database: its name and URL. */
    database: string;
    databaseUrl: string;
    /** Between n8n and Directus, when asked for. */
    proxy: HoldingProxy | null;
  };
  n8n: {
    url: string;
    process: ServiceProcess;
    /** Imports and publishes flows with the n8n CLI (stop n8n first and start it after). */
    deploy(flows: Flow[]): Promise<string[]>;
  };
  /** MailDev: the SMTP server the automation flows send through, and its REST API (`/api/email`). */
  mail: { url: string; smtpPort: number; process: ServiceProcess };
  webhookSecret: string;
  logsDir: string;
  /** Stops both, drops Directus's database and removes the working folders. */
  close(): Promise<void>;
}

const ok = (url: string, init?: RequestInit) => async () => (await fetch(url, init)).ok;

/**
 * Waits until n8n serves every flow's webhook (an unsigned request refused, not 404): n8n answers
 * as soon as its first flow is registered and registers the others one after another.
 */
export async function waitForWebhooks(n8nUrl: string, flows: Flow[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const flow of flows) {
    for (;;) {
      const status = await fetch(`${n8nUrl}/webhook/${flow.webhookPath}`, {
        method: 'POST',
        body: '{}',
      }).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 404 && status !== 0) break;
      if (Date.now() > deadline) throw new Error(`n8n does not serve /webhook/${flow.webhookPath}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Starts the pinned Directus (on Node 22, its own PostgreSQL database, cache off), n8n (on this
 * Node, its own user folder with SQLite, diagnostics off) and MailDev (the flows' SMTP server) on
 * free ports, applies the Directus schema, roles and sync user, and deploys the n8n flows with
 * their SMTP credential. The first run installs them (minutes).
 */
export async function startCmsStack(options: CmsStackOptions): Promise<CmsStack> {
  const log = options.log ?? (() => {});
  const install = await installCms();
  const flows = [...(await loadFlows()), ...(options.extraFlows ?? [])];
  const work = await mkdtemp(join(tmpdir(), `lapak-cms-${options.runId}-`));
  const logsDir = join(artifactsDir, `cms-${options.runId}`);
  await mkdir(logsDir, { recursive: true });
  const database = `lapak_t_${options.runId}_directus`;
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const [directusPort, n8nPort, brokerPort, smtpPort, mailPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const mailUrl = `http://127.0.0.1:${mailPort}`;
  const n8nUrl = `http://127.0.0.1:${n8nPort}`;
  const adminToken = randomBytes(24).toString('hex');
  const syncToken = randomBytes(24).toString('hex');

  const directus = await testDirectus({
    install,
    work,
    serverUrl: options.databaseUrl,
    database,
    port: directusPort,
    adminToken,
    logFile: join(logsDir, 'directus.log'),
    env: options.directusEnv,
  });
  const proxy = options.holdingProxy ? await startHoldingProxy(directus.url) : null;
  const n8nEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    N8N_USER_FOLDER: join(work, 'n8n'),
    N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
    N8N_PORT: String(n8nPort),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_LOG_LEVEL: 'warn',
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
    // The catalog-sync flow reads these three (secrets stay out of the flow files).
    N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
    LAPAK_WEBHOOK_SECRET: options.webhookSecret,
    LAPAK_DIRECTUS_URL: proxy?.url ?? directus.url,
    LAPAK_DIRECTUS_SYNC_TOKEN: syncToken,
    // The automation flows read these two; their SMTP server (MailDev) is their credential.
    LAPAK_SMTP_FROM: 'Toko Lapak <shop@lapak.example.com>',
    LAPAK_SHOP_ALERT_EMAIL: 'owner@lapak.example.com',
  };

  const n8n = new ServiceProcess('n8n', process.execPath, [n8nCli(install), 'start'], {
    env: n8nEnv,
    cwd: work,
    logFile: join(logsDir, 'n8n.log'),
    // Ready when the flow answers: an unsigned request is refused by the flow itself (401), not 404.
    ready: async () =>
      (await fetch(`${n8nUrl}/webhook/catalog-sync-v1`, { method: 'POST', body: '{}' })).status === 401,
    readyTimeoutMs: 180_000,
  });

  await mkdir(join(work, 'mail'));
  const maildev = new ServiceProcess(
    'maildev',
    process.execPath,
    [maildevCli(install), ...maildevArgs({ smtp: smtpPort, web: mailPort }, join(work, 'mail'))],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      cwd: work,
      logFile: join(logsDir, 'maildev.log'),
      ready: ok(`${mailUrl}/api/healthz`),
      readyTimeoutMs: 60_000,
    },
  );

  const close = async () => {
    await Promise.all([directus.close(), n8n.close(), maildev.close()]);
    await proxy?.close();
    await rm(work, { recursive: true, force: true });
  };

  try {
    await Promise.all([
      (async () => {
        log('directus: bootstrap');
        await directus.start();
        log(`directus: listening on ${directus.url}`);
        await applyDirectus({
          url: directus.url,
          adminToken,
          syncToken,
          databaseUrl: directus.databaseUrl,
          log: (line) => log(`directus: ${line}`),
        });
      })(),
      (async () => {
        log('n8n: importing and publishing the flows');
        await deployFlows({
          flows,
          n8nCli: n8nCli(install),
          env: n8nEnv,
          smtp: { host: '127.0.0.1', port: smtpPort },
          log: (l) => log(`n8n: ${l}`),
        });
      })(),
      maildev.start().then(() => log(`maildev: listening on ${mailUrl} (SMTP ${smtpPort})`)),
    ]);
    await n8n.start();
    await waitForWebhooks(n8nUrl, flows);
    log(`n8n: listening on ${n8nUrl}`);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    directus: {
      url: directus.url,
      adminToken,
      syncToken,
      process: directus.process,
      env: { ...directus.env },
      database,
      databaseUrl: directus.databaseUrl,
      proxy,
    },
    n8n: {
      url: n8nUrl,
      process: n8n,
      deploy: async (deployed) =>
        (
          await deployFlows({
            flows: deployed,
            n8nCli: n8nCli(install),
            env: n8nEnv,
            log: (l) => log(`n8n: ${l}`),
          })
        ).actions,
    },
    mail: { url: mailUrl, smtpPort, process: maildev },
    webhookSecret: options.webhookSecret,
    logsDir,
    close,
  };
}
