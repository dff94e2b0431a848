import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, databaseRoles, loadConfig, secretProblem, type Config } from '@lapak/core';
import { databaseUrl, roleUrl, type DatabaseRole } from './database';

export const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * The run command's own settings, beside the API's and worker's config (which it also reads, and
 * hands to them). Directus and n8n listen where DIRECTUS_URL and N8N_URL say; the storefront on
 * WEB_PORT. Their secrets have local defaults that stay the same from run to run (Directus
 * tokens and n8n's stored credentials depend on them); in production they must be set, and are
 * judged as the config's secrets are (`runSecrets`).
 */
const runSchema = z.object({
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(5173),
  DIRECTUS_ADMIN_EMAIL: z.email().default('admin@lapak.example.com'),
  DIRECTUS_ADMIN_PASSWORD: z.string().min(8).default('lapak-admin-password'),
  DIRECTUS_ADMIN_TOKEN: z.string().min(16).default('dev-only-directus-admin-token-change-me'),
  DIRECTUS_SECRET: z.string().min(16).default('dev-only-directus-secret-change-me-0123456789'),
  N8N_ENCRYPTION_KEY: z.string().min(16).default('dev-only-n8n-encryption-key-change-me'),
  /**
   * Passwords of the PostgreSQL roles the command makes: the owner of Lapak's database (runs the
   * migrations), the API's and worker's role, and Directus's (owner of its database).
   */
  LAPAK_OWNER_DB_PASSWORD: z.string().min(16).default('dev-only-lapak-owner-db-password'),
  LAPAK_APP_DB_PASSWORD: z.string().min(16).default('dev-only-lapak-app-db-password'),
  DIRECTUS_DB_PASSWORD: z.string().min(16).default('dev-only-directus-db-password'),
  /** n8n's owner, created (and kept) from these at every start instead of by whoever visits first. */
  N8N_OWNER_EMAIL: z.email().default('admin@lapak.example.com'),
  N8N_OWNER_PASSWORD: z.string().min(8).default('lapak-admin-password'),
  /** Where run-time state lives (Directus uploads, n8n's folder, logs, what was applied). */
  LAPAK_DATA_DIR: z.string().default(resolve(repoRoot, '.data')),
  /** Skip loading the demo catalog and logins. */
  LAPAK_DEMO_DATA: z.enum(['true', 'false']).default('true'),
  /**
   * The web inbox of the local mail catcher (MailDev), which takes the shop's mails at SMTP_PORT
   * when SMTP_HOST is this machine; with another SMTP_HOST the mails go there and no catcher runs.
   */
  MAILDEV_WEB_PORT: z.coerce.number().int().min(1).max(65535).default(1080),
});

export type RunSettings = z.infer<typeof runSchema> & {
  config: Config;
  /** The env every child gets: the caller's, with the derived values filled in. */
  env: NodeJS.ProcessEnv;
  databases: { lapak: string; directus: string };
  /** Each service's PostgreSQL role (none a superuser), made by the command as DATABASE_URL's admin. */
  roles: { owner: DatabaseRole; app: DatabaseRole; directus: DatabaseRole };
  /**
   * Where each connects: `admin` is DATABASE_URL (makes the roles and databases), `owner` migrates,
   * `app` is the API's and worker's DATABASE_URL, `directus` Directus's database as its role.
   */
  databaseUrls: { admin: string; owner: string; app: string; directus: string };
  urls: {
    api: string;
    web: string;
    directus: string;
    n8n: string;
    workerMetrics: string;
    apiMetrics: string;
    /** MailDev's web inbox; null when SMTP_HOST is another machine (no catcher runs). */
    mail: string | null;
  };
  /** `apiMetrics` is 0 until `withApiMetricsPort` gives it one. */
  ports: {
    api: number;
    worker: number;
    web: number;
    directus: number;
    n8n: number;
    apiMetrics: number;
    smtp: number;
    mail: number;
  };
  /** Folder of this instance's state (one per database, so parallel instances never share it). */
  stateDir: string;
};

const portOf = (url: string) => Number(new URL(url).port || (url.startsWith('https:') ? 443 : 80));

/** The run command's secrets: required in production, and refused there when weak. */
export const runSecrets = [
  'DIRECTUS_ADMIN_PASSWORD',
  'DIRECTUS_ADMIN_TOKEN',
  'DIRECTUS_SECRET',
  'N8N_ENCRYPTION_KEY',
  'N8N_OWNER_PASSWORD',
  'LAPAK_OWNER_DB_PASSWORD',
  'LAPAK_APP_DB_PASSWORD',
  'DIRECTUS_DB_PASSWORD',
] as const;

/** In production, what is wrong with each run secret (missing, or a development or weak value). */
function runSecretIssues(input: Record<string, string | undefined>): string[] {
  if (input.NODE_ENV !== 'production') return [];
  return runSecrets.flatMap((name) => {
    const value = input[name];
    if (value === undefined) return [`${name}: required when NODE_ENV=production (not set)`];
    const problem = secretProblem(value);
    return problem ? [`${name}: ${problem}`] : [];
  });
}

/** Reads the environment once; throws a message naming the bad variable. */
export function loadRunSettings(env: NodeJS.ProcessEnv = process.env): RunSettings {
  const issues: string[] = [];
  let config: Config | undefined;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = runSchema.safeParse(input);
  if (!parsed.success)
    issues.push(...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  issues.push(...runSecretIssues(input));
  // One message for everything wrong, the API's and worker's config and the command's own.
  if (!config || !parsed.success || issues.length > 0) throw new ConfigError(issues);
  const run = parsed.data;
  const lapakDb = new URL(config.DATABASE_URL).pathname.slice(1);
  const host = '127.0.0.1';
  const ports = {
    api: config.API_PORT,
    worker: config.WORKER_METRICS_PORT,
    web: run.WEB_PORT,
    directus: portOf(config.DIRECTUS_URL),
    n8n: portOf(config.N8N_URL),
    apiMetrics: env.API_METRICS_PORT ? config.API_METRICS_PORT : 0,
    smtp: config.SMTP_PORT,
    mail: run.MAILDEV_WEB_PORT,
  };
  const localSmtp = ['127.0.0.1', 'localhost', '::1'].includes(config.SMTP_HOST);
  const urls = {
    api: `http://${host}:${ports.api}`,
    web: `http://${host}:${ports.web}`,
    directus: config.DIRECTUS_URL.replace(/\/$/, ''),
    n8n: config.N8N_URL.replace(/\/$/, ''),
    workerMetrics: `http://${host}:${ports.worker}`,
    apiMetrics: `http://${host}:${ports.apiMetrics}`,
    mail: localSmtp ? `http://${host}:${ports.mail}` : null,
  };
  const webOrigins = [`http://${host}:${ports.web}`, `http://localhost:${ports.web}`];
  const databases = { lapak: lapakDb, directus: `${lapakDb}_directus` };
  const roles = {
    owner: { name: databaseRoles.owner, password: run.LAPAK_OWNER_DB_PASSWORD },
    app: { name: databaseRoles.app, password: run.LAPAK_APP_DB_PASSWORD },
    directus: { name: databaseRoles.directus, password: run.DIRECTUS_DB_PASSWORD },
  };
  const databaseUrls = {
    admin: config.DATABASE_URL,
    owner: roleUrl(config.DATABASE_URL, roles.owner),
    app: roleUrl(config.DATABASE_URL, roles.app),
    directus: roleUrl(databaseUrl(config.DATABASE_URL, databases.directus), roles.directus),
  };
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    // The API and worker connect as the app's role: rows, no DDL, no superuser.
    DATABASE_URL: databaseUrls.app,
    // The storefront calls the API from the browser.
    CORS_ORIGINS: env.CORS_ORIGINS || webOrigins.join(','),
    API_PUBLIC_URL: env.API_PUBLIC_URL || urls.api,
    // The storefront shows variants: a local run syncs them (catalog-sync v2, docs/sync.md).
    SYNC_FLOW_VERSION: env.SYNC_FLOW_VERSION || 'v2',
  };
  return {
    ...run,
    config,
    env: childEnv,
    databases,
    roles,
    databaseUrls,
    urls,
    ports,
    stateDir: resolve(run.LAPAK_DATA_DIR, lapakDb),
  };
}

/**
 * The API's metrics port: API_METRICS_PORT when the caller set it, otherwise a free one taken now
 * (a fixed default would clash between instances side by side, which is how the run command's own
 * tests run it). The API gets it through its environment; the summary prints the URL.
 */
export function withApiMetricsPort(settings: RunSettings, freePort: number): RunSettings {
  if (settings.ports.apiMetrics) return settings;
  return {
    ...settings,
    env: { ...settings.env, API_METRICS_PORT: String(freePort) },
    ports: { ...settings.ports, apiMetrics: freePort },
    urls: { ...settings.urls, apiMetrics: `http://127.0.0.1:${freePort}` },
  };
}
