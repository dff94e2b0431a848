import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { directusCacheEnv, directusSecurityEnv } from '../../directus/src/directus-env';
import { directusCli, maildevArgs, maildevCli, n8nCli, type CmsInstall } from '../cms';
import type { RunSettings } from './settings';

/** Directus's environment: its own database (as its own role) and upload folder in this instance's state. */
export function directusEnv(settings: RunSettings): NodeJS.ProcessEnv {
  const dir = join(settings.stateDir, 'directus');
  mkdirSync(join(dir, 'uploads'), { recursive: true });
  mkdirSync(join(dir, 'extensions'), { recursive: true });
  const webOrigins = [`http://127.0.0.1:${settings.ports.web}`, `http://localhost:${settings.ports.web}`];
  return {
    ...settings.env,
    NODE_ENV: 'production',
    // Directus reads a .env in its working folder over the environment: point it at none.
    CONFIG_PATH: join(dir, 'no-config.env'),
    HOST: '127.0.0.1',
    PORT: String(settings.ports.directus),
    PUBLIC_URL: settings.urls.directus,
    DB_CLIENT: 'pg',
    // Its own role, owner of its database only.
    DB_CONNECTION_STRING: settings.databaseUrls.directus,
    SECRET: settings.DIRECTUS_SECRET,
    ADMIN_EMAIL: settings.DIRECTUS_ADMIN_EMAIL,
    ADMIN_PASSWORD: settings.DIRECTUS_ADMIN_PASSWORD,
    ADMIN_TOKEN: settings.DIRECTUS_ADMIN_TOKEN,
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_ROOT: join(dir, 'uploads'),
    EXTENSIONS_PATH: join(dir, 'extensions'),
    CORS_ENABLED: 'true',
    CORS_ORIGIN: webOrigins.join(','),
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    // Bounds on what any client can ask: items per read, requests per second, uploads (images
    // only), image transformations (directus/src/directus-env.ts).
    ...directusSecurityEnv,
    // No data cache: a page read while the sync writes could stay in it, stale (directus-env.ts).
    ...directusCacheEnv,
    RATE_LIMITER_STORE: 'memory',
    WEBSOCKETS_ENABLED: 'false',
    // Lapak's REDIS_* variables would make Directus put its caches in that Redis, outside Lapak's
    // prefix; one Directus instance keeps them in memory.
    REDIS_ENABLED: 'false',
    // Its pressure limiter answers 503 whenever the event loop lags, as it does on a small machine
    // while the rest of the system starts beside it; one shopper's shop needs no load shedding.
    PRESSURE_LIMITER_ENABLED: 'false',
  };
}

export function directusCommand(install: CmsInstall, settings: RunSettings, subcommand: string[]) {
  const cwd = join(settings.stateDir, 'directus');
  return {
    command: install.node22,
    args: [directusCli(install), ...subcommand],
    env: directusEnv(settings),
    cwd,
  };
}

/** Files holding n8n's own secrets, which it reads through its `<VAR>_FILE` variables. */
export interface N8nSecretFiles {
  encryptionKey: string;
  ownerPasswordHash: string;
}

interface Bcrypt {
  hashSync(value: string, rounds: number): string;
  compareSync(value: string, hash: string): boolean;
}

/**
 * Writes n8n's encryption key and its owner's password hash into files only this user can read,
 * in this instance's state. The hash is made with the bcryptjs n8n itself checks passwords with,
 * and made again only when the password changed.
 */
export function writeN8nSecretFiles(settings: RunSettings, install: CmsInstall): N8nSecretFiles {
  const dir = join(settings.stateDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    encryptionKey: join(dir, 'n8n-encryption-key'),
    ownerPasswordHash: join(dir, 'n8n-owner-password-hash'),
  };
  writeFileSync(files.encryptionKey, settings.N8N_ENCRYPTION_KEY, { mode: 0o600 });
  const bcrypt = createRequire(join(install.n8nHome, 'node_modules/n8n/package.json'))('bcryptjs') as Bcrypt;
  const current = existsSync(files.ownerPasswordHash) ? readFileSync(files.ownerPasswordHash, 'utf8') : '';
  if (!current || !bcrypt.compareSync(settings.N8N_OWNER_PASSWORD, current)) {
    writeFileSync(files.ownerPasswordHash, bcrypt.hashSync(settings.N8N_OWNER_PASSWORD, 12), { mode: 0o600 });
  }
  return files;
}

/** What n8n gets of the caller's environment: where programs and home are, time zone, locale. */
const passedToN8n = ['PATH', 'HOME', 'TZ', 'LANG', 'TMPDIR'] as const;

/**
 * n8n's environment, and all of it. Any flow (an expression or a Code node) reads every variable
 * of n8n's process through `$env`, and the catalog-sync flow needs that to read its three
 * LAPAK_* variables. So n8n gets its own settings, those three and a few harmless variables of
 * the caller's (`passedToN8n`), never the API's and worker's (JWT secret, admin tokens, database
 * URLs), and its own secrets come from files (`secretFiles`) that $env does not show. Its user
 * folder lives in this instance's state, with its SQLite database (n8n 2.x refuses PostgreSQL
 * older than 16, and machines like ours run 15).
 */
export function n8nEnv(
  settings: RunSettings,
  secretFiles: N8nSecretFiles,
  brokerPort?: number,
): NodeJS.ProcessEnv {
  const folder = join(settings.stateDir, 'n8n');
  mkdirSync(folder, { recursive: true });
  const passed = passedToN8n.filter((name) => settings.env[name] !== undefined);
  return {
    ...Object.fromEntries(passed.map((name) => [name, settings.env[name]])),
    NODE_ENV: 'production',
    N8N_USER_FOLDER: folder,
    N8N_PORT: String(settings.ports.n8n),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    // Its task runners' broker: only n8n and its runner talk to it, so any free port will do.
    ...(brokerPort && { N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `${settings.urls.n8n}/`,
    N8N_EDITOR_BASE_URL: `${settings.urls.n8n}/`,
    N8N_ENCRYPTION_KEY_FILE: secretFiles.encryptionKey,
    // The owner is made (and kept) from these at every start: nobody claims it by visiting first.
    N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
    N8N_INSTANCE_OWNER_EMAIL: settings.N8N_OWNER_EMAIL,
    N8N_INSTANCE_OWNER_FIRST_NAME: 'Lapak',
    N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
    N8N_INSTANCE_OWNER_PASSWORD_HASH_FILE: secretFiles.ownerPasswordHash,
    DB_TYPE: 'sqlite',
    DB_SQLITE_POOL_SIZE: '2',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_METRICS: 'true',
    // The catalog-sync flow reads its three variables below with $env (n8n 2.x blocks it unless 'false').
    N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    // The catalog-sync flow signs and checks requests with node:crypto.
    NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
    N8N_LOG_LEVEL: 'warn',
    // What the catalog-sync flow reads with $env.
    LAPAK_WEBHOOK_SECRET: settings.config.WEBHOOK_SECRET,
    LAPAK_DIRECTUS_URL: settings.urls.directus,
    LAPAK_DIRECTUS_SYNC_TOKEN: settings.config.DIRECTUS_SYNC_TOKEN,
    // What the automation flows read: the sender of the shop's mails and the shop's own inbox
    // (the SMTP server itself is their credential, stored by the deploy).
    LAPAK_SMTP_FROM: settings.config.SMTP_FROM,
    LAPAK_SHOP_ALERT_EMAIL: settings.config.SHOP_ALERT_EMAIL,
  };
}

/** An n8n command; `brokerPort` for the one that starts its task runners (`start`). */
export function n8nCommand(
  install: CmsInstall,
  settings: RunSettings,
  subcommand: string[],
  brokerPort?: number,
) {
  return {
    command: process.execPath,
    args: [n8nCli(install), ...subcommand],
    env: n8nEnv(settings, writeN8nSecretFiles(settings, install), brokerPort),
    cwd: join(settings.stateDir, 'n8n'),
  };
}

/** MailDev, the local mail catcher: SMTP at SMTP_PORT, its web inbox at MAILDEV_WEB_PORT. */
export function maildevCommand(install: CmsInstall, settings: RunSettings) {
  const dir = join(settings.stateDir, 'mail');
  mkdirSync(dir, { recursive: true });
  const passed = passedToN8n.filter((name) => settings.env[name] !== undefined);
  return {
    command: process.execPath,
    args: [maildevCli(install), ...maildevArgs({ smtp: settings.ports.smtp, web: settings.ports.mail }, dir)],
    env: Object.fromEntries(passed.map((name) => [name, settings.env[name]])),
    cwd: dir,
  };
}
