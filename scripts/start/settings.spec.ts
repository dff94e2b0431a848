import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, databaseRoles } from '@lapak/core';
import { directusEnv } from './cms';
import { loadRunSettings, runSecrets, withApiMetricsPort } from './settings';

const dataDir = mkdtempSync(join(tmpdir(), 'lapak-settings-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const base = {
  LAPAK_DATA_DIR: dataDir,
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop',
  API_PORT: '4000',
};

describe('the run command’s database roles', () => {
  const settings = loadRunSettings(base);

  it('connects the API and worker as the app role, never as DATABASE_URL’s admin', () => {
    const app = new URL(settings.env.DATABASE_URL!);
    expect(app.username).toBe(databaseRoles.app);
    expect(app.password).toBe(settings.LAPAK_APP_DB_PASSWORD);
    expect(app.pathname).toBe('/shop');
    expect(settings.databaseUrls.admin).toBe(base.DATABASE_URL);
  });

  it('migrates as the owner role and runs Directus as its own role on its own database', () => {
    const owner = new URL(settings.databaseUrls.owner);
    expect([owner.username, owner.pathname]).toEqual([databaseRoles.owner, '/shop']);
    const directus = new URL(directusEnv(settings).DB_CONNECTION_STRING!);
    expect([directus.username, directus.pathname]).toEqual([databaseRoles.directus, '/shop_directus']);
    expect(directus.password).toBe(settings.DIRECTUS_DB_PASSWORD);
    expect(settings.roles.directus.name).toBe(databaseRoles.directus);
  });

  it('requires the roles’ passwords in production, and judges them as every secret', () => {
    for (const name of ['LAPAK_OWNER_DB_PASSWORD', 'LAPAK_APP_DB_PASSWORD', 'DIRECTUS_DB_PASSWORD']) {
      expect(runSecrets).toContain(name);
    }
    const strong = () => randomBytes(32).toString('hex');
    const production: Record<string, string> = {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://postgres:${strong()}@127.0.0.1:5432/shop`,
      JWT_SECRET: strong(),
      WEBHOOK_SECRET: strong(),
      DIRECTUS_SYNC_TOKEN: strong(),
      ...Object.fromEntries(runSecrets.map((name) => [name, strong()])),
    };
    expect(() => loadRunSettings(production)).not.toThrow();
    const { LAPAK_APP_DB_PASSWORD: _app, ...withoutApp } = production;
    expect(() =>
      loadRunSettings({ ...withoutApp, LAPAK_OWNER_DB_PASSWORD: 'dev-only-lapak-owner-db-password' }),
    ).toThrow(ConfigError);
    try {
      loadRunSettings({ ...withoutApp, LAPAK_OWNER_DB_PASSWORD: 'dev-only-lapak-owner-db-password' });
    } catch (error) {
      const names = (error as ConfigError).issues.map((issue) => issue.split(':')[0]);
      expect(names.sort()).toEqual(['LAPAK_APP_DB_PASSWORD', 'LAPAK_OWNER_DB_PASSWORD']);
    }
  });
});

describe('the API’s metrics port', () => {
  it('is API_METRICS_PORT when set, else one the command picks, handed to the API', () => {
    const fixed = loadRunSettings({ ...base, API_METRICS_PORT: '4002' });
    expect(withApiMetricsPort(fixed, 5555).ports.apiMetrics).toBe(4002);
    const picked = withApiMetricsPort(loadRunSettings(base), 5555);
    expect(picked.ports.apiMetrics).toBe(5555);
    expect(picked.env.API_METRICS_PORT).toBe('5555');
    expect(picked.urls.apiMetrics).toBe('http://127.0.0.1:5555');
    expect(picked.ports.apiMetrics).not.toBe(picked.ports.api);
  });
});
