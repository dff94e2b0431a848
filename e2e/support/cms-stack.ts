import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { directusCli, installCms, maildevArgs, maildevCli, n8nCli } from '../../scripts/cms';
import { applyDirectus } from '../../directus/src/apply-directus';
import { directusQueryLimitMax } from '../../directus/src/fields';
import { deployFlows } from '../../n8n-workflows/src/deploy-flows';
import { loadFlows, type Flow } from '../../n8n-workflows/src/flows';
import { startHoldingProxy, type HoldingProxy } from './holding-proxy';
import { freePort } from '../../scripts/start/processes';
import { ServiceProcess, runToEnd } from './service-process';

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

async function admin(databaseUrl: string, sql: string) {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
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
  const directusUrl = `http://127.0.0.1:${directusPort}`;
  const n8nUrl = `http://127.0.0.1:${n8nPort}`;
  const adminToken = randomBytes(24).toString('hex');
  const syncToken = randomBytes(24).toString('hex');

  const dbUrl = new URL(options.databaseUrl);
  dbUrl.pathname = `/${database}`;
  // Directus reads a .env in its working folder over the environment: point it at an empty file.
  await writeFile(join(work, 'directus.env'), '');
  await mkdir(join(work, 'uploads'));
  await mkdir(join(work, 'extensions'));
  const proxy = options.holdingProxy ? await startHoldingProxy(directusUrl) : null;
  const directusEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CONFIG_PATH: join(work, 'directus.env'),
    DB_CLIENT: 'pg',
    DB_CONNECTION_STRING: dbUrl.toString(),
    SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@lapak.example.com',
    ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    ADMIN_TOKEN: adminToken,
    HOST: '127.0.0.1',
    PORT: String(directusPort),
    PUBLIC_URL: directusUrl,
    CACHE_ENABLED: 'false',
    RATE_LIMITER_ENABLED: 'false',
    // No 503 "under pressure" when the event loop lags on a busy test machine.
    PRESSURE_LIMITER_ENABLED: 'false',
    WEBSOCKETS_ENABLED: 'false',
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    QUERY_LIMIT_MAX: String(directusQueryLimitMax),
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_ROOT: join(work, 'uploads'),
    EXTENSIONS_PATH: join(work, 'extensions'),
    ...options.directusEnv,
  };
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
    LAPAK_DIRECTUS_URL: proxy?.url ?? directusUrl,
    LAPAK_DIRECTUS_SYNC_TOKEN: syncToken,
    // The automation flows read these two; their SMTP server (MailDev) is their credential.
    LAPAK_SMTP_FROM: 'Toko Lapak <shop@lapak.example.com>',
    LAPAK_SHOP_ALERT_EMAIL: 'owner@lapak.example.com',
  };

  const directus = new ServiceProcess('directus', install.node22, [directusCli(install), 'start'], {
    env: directusEnv,
    cwd: work,
    logFile: join(logsDir, 'directus.log'),
    ready: ok(`${directusUrl}/server/ping`),
    readyTimeoutMs: 90_000,
  });
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
    await admin(options.databaseUrl, `drop database if exists "${database}" with (force)`).catch(() => {});
    await rm(work, { recursive: true, force: true });
  };

  try {
    await Promise.all([
      (async () => {
        await admin(options.databaseUrl, `drop database if exists "${database}" with (force)`);
        await admin(options.databaseUrl, `create database "${database}"`);
        log('directus: bootstrap');
        await runToEnd(install.node22, [directusCli(install), 'bootstrap'], { env: directusEnv, cwd: work });
        await directus.start();
        log(`directus: listening on ${directusUrl}`);
        await applyDirectus({
          url: directusUrl,
          adminToken,
          syncToken,
          databaseUrl: dbUrl.toString(),
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
      url: directusUrl,
      adminToken,
      syncToken,
      process: directus,
      env: { ...directusEnv },
      database,
      databaseUrl: dbUrl.toString(),
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
