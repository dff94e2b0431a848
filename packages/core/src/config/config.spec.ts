import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies local defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/lapak');
    expect(config.API_PORT).toBe(3000);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ API_PORT: 'eighty', REDIS_URL: 'not a url' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/API_PORT/);
      expect((error as Error).message).toMatch(/REDIS_URL/);
    }
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });

  describe('in production', () => {
    const generated = () => randomBytes(32).toString('hex');
    const production = () => ({
      NODE_ENV: 'production',
      JWT_SECRET: generated(),
      WEBHOOK_SECRET: generated(),
      DIRECTUS_SYNC_TOKEN: generated(),
    });
    const issuesOf = (env: NodeJS.ProcessEnv, options?: Parameters<typeof loadConfig>[1]) => {
      try {
        loadConfig(env, options);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues;
      }
    };

    it('starts with generated secrets', () => {
      expect(issuesOf({ ...production(), ADMIN_API_TOKEN: generated() })).toEqual([]);
    });

    it('requires every secret, the Directus sync token included, naming each', () => {
      expect(issuesOf({ NODE_ENV: 'production' })).toEqual([
        'JWT_SECRET: required when NODE_ENV=production (not set)',
        'WEBHOOK_SECRET: required when NODE_ENV=production (not set)',
        'DIRECTUS_SYNC_TOKEN: required when NODE_ENV=production (not set)',
      ]);
      expect(issuesOf({ ...production(), DIRECTUS_SYNC_TOKEN: '' })).toEqual([
        'DIRECTUS_SYNC_TOKEN: required when NODE_ENV=production (not set)',
      ]);
    });

    it.each([
      ['JWT_SECRET', 'dev-only-jwt-secret-change-me-0123456789abcdef'],
      ['WEBHOOK_SECRET', 'compose-only-webhook-secret-change-me-012345'],
      ['DIRECTUS_SYNC_TOKEN', 'dev-only-directus-sync-token'],
      ['ADMIN_API_TOKEN', 'CHANGE-ME'],
      ['DIRECTUS_ADMIN_TOKEN', `${randomBytes(32).toString('hex')}-change-me`],
      ['N8N_API_KEY', 'Change_Me'],
    ])('refuses a development value of %s', (name, value) => {
      const issues = issuesOf({ ...production(), [name]: value });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(new RegExp(`^${name}: is a development value`));
    });

    it.each([
      ['JWT_SECRET', 'x'.repeat(48)],
      ['WEBHOOK_SECRET', 'secret'.repeat(8)],
      ['DIRECTUS_SYNC_TOKEN', '0123456789'.repeat(4)],
      ['ADMIN_API_TOKEN', 'ab'.repeat(32)],
    ])('refuses %s of too little entropy', (name, value) => {
      expect(issuesOf({ ...production(), [name]: value })).toEqual([
        expect.stringMatching(new RegExp(`^${name}: has too little entropy`)),
      ]);
    });

    it('refuses a development or weak password in a database or Redis URL', () => {
      expect(
        issuesOf({
          ...production(),
          DATABASE_URL: 'postgres://lapak:CHANGE-ME@postgres.example.internal:5432/lapak',
          REDIS_URL: 'redis://:password@redis:6379',
          DIRECTUS_DB_URL: `postgres://lapak:${generated()}@postgres:5432/directus`,
        }),
      ).toEqual([
        expect.stringMatching(/^DATABASE_URL: its password is a development value/),
        expect.stringMatching(/^REDIS_URL: its password must be at least 32 characters/),
      ]);
      // A URL without a password (peer or network trust) is the deployment's choice.
      expect(issuesOf({ ...production(), DATABASE_URL: 'postgres://lapak@postgres:5432/lapak' })).toEqual([]);
    });

    it('says one thing per secret', () => {
      expect(issuesOf({ ...production(), JWT_SECRET: 'short' })).toEqual([
        'JWT_SECRET: must be at least 32 characters; generate one: openssl rand -hex 32',
      ]);
    });

    it('lets a tool name the secrets it needs; those it is given are still checked', () => {
      const tool = { requiredSecrets: ['DIRECTUS_ADMIN_TOKEN', 'DIRECTUS_SYNC_TOKEN'] as const };
      expect(
        issuesOf(
          { NODE_ENV: 'production', DIRECTUS_ADMIN_TOKEN: generated(), DIRECTUS_SYNC_TOKEN: generated() },
          tool,
        ),
      ).toEqual([]);
      expect(
        issuesOf({ NODE_ENV: 'production', DIRECTUS_SYNC_TOKEN: 'dev-only-directus-sync-token' }, tool),
      ).toEqual([
        'DIRECTUS_SYNC_TOKEN: is a development value (it contains "devonly"); generate one: openssl rand -hex 32',
        'DIRECTUS_ADMIN_TOKEN: required when NODE_ENV=production (not set)',
      ]);
    });

    it('leaves development alone: the local defaults apply', () => {
      expect(loadConfig({ NODE_ENV: 'development' }).DIRECTUS_SYNC_TOKEN).toBe(
        'dev-only-directus-sync-token',
      );
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
    });
  });
});
