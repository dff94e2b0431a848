import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrl } from './database';
import type { Services } from './processes';
import { repoRoot, type RunSettings } from './settings';

export interface CmsInstall {
  node22: string;
  directusHome: string;
  n8nHome: string;
}

/**
 * Installs the pinned Directus and n8n into the cache outside the workspace on first use
 * (scripts/install-cms.sh; it skips what is there). Its progress lines are shown as they come.
 */
export async function installCms(services: Services): Promise<CmsInstall> {
  const found: Record<string, string> = {};
  await services.run({
    name: 'install-cms',
    command: 'bash',
    args: [join(repoRoot, 'scripts/install-cms.sh')],
    env: process.env,
    onLine(line, stream) {
      const assignment = line.match(/^(LAPAK_[A-Z0-9_]+)=(.*)$/);
      if (stream === 'stdout' && assignment) found[assignment[1]!] = assignment[2]!;
      else if (stream === 'stderr' && line.startsWith('install-cms:')) {
        console.log(`      ${line.replace(/^install-cms: /, '')}`);
      }
    },
  });
  const { LAPAK_NODE22, LAPAK_DIRECTUS_HOME, LAPAK_N8N_HOME } = found;
  if (!LAPAK_NODE22 || !LAPAK_DIRECTUS_HOME || !LAPAK_N8N_HOME) {
    throw new Error(`install-cms.sh did not say where it installed (${JSON.stringify(found)})`);
  }
  return { node22: LAPAK_NODE22, directusHome: LAPAK_DIRECTUS_HOME, n8nHome: LAPAK_N8N_HOME };
}

/** Directus's environment: its own database and upload folder in this instance's state. */
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
    DB_CONNECTION_STRING: databaseUrl(settings.config.DATABASE_URL, settings.databases.directus),
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
    WEBSOCKETS_ENABLED: 'false',
  };
}

export function directusCommand(install: CmsInstall, settings: RunSettings, subcommand: string[]) {
  const cwd = join(settings.stateDir, 'directus');
  return {
    command: install.node22,
    args: [join(install.directusHome, 'node_modules/directus/cli.js'), ...subcommand],
    env: directusEnv(settings),
    cwd,
  };
}

/** n8n's environment: its own database and user folder; the flows read the sync's secrets. */
export function n8nEnv(settings: RunSettings): NodeJS.ProcessEnv {
  const folder = join(settings.stateDir, 'n8n');
  mkdirSync(folder, { recursive: true });
  const db = new URL(settings.config.DATABASE_URL);
  return {
    ...settings.env,
    NODE_ENV: 'production',
    N8N_USER_FOLDER: folder,
    N8N_PORT: String(settings.ports.n8n),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `${settings.urls.n8n}/`,
    N8N_EDITOR_BASE_URL: `${settings.urls.n8n}/`,
    N8N_ENCRYPTION_KEY: settings.N8N_ENCRYPTION_KEY,
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: db.hostname,
    DB_POSTGRESDB_PORT: db.port || '5432',
    DB_POSTGRESDB_DATABASE: settings.databases.n8n,
    DB_POSTGRESDB_USER: decodeURIComponent(db.username || 'postgres'),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(db.password),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_METRICS: 'true',
    N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    N8N_LOG_LEVEL: 'warn',
    WEBHOOK_SECRET: settings.config.WEBHOOK_SECRET,
    DIRECTUS_URL: settings.urls.directus,
    DIRECTUS_SYNC_TOKEN: settings.config.DIRECTUS_SYNC_TOKEN,
  };
}

export function n8nCommand(install: CmsInstall, settings: RunSettings, subcommand: string[]) {
  return {
    command: process.execPath,
    args: [join(install.n8nHome, 'node_modules/n8n/bin/n8n'), ...subcommand],
    env: n8nEnv(settings),
    cwd: join(settings.stateDir, 'n8n'),
  };
}
