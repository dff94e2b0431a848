import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envReadBy, loadFlows } from '../../n8n-workflows/src/flows';
import { n8nEnv, writeN8nSecretFiles } from './cms';
import { loadRunSettings } from './settings';

const dataDir = mkdtempSync(join(tmpdir(), 'lapak-n8n-env-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const secret = () => randomBytes(32).toString('hex');
/** A caller's environment holding every secret the run command knows of, and one it does not. */
const callerEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/lapak',
  LAPAK_DATA_DIR: dataDir,
  LAPAK_DEMO_DATA: 'false',
  DATABASE_URL: `postgres://lapak:${secret()}@127.0.0.1:5432/lapak`,
  REDIS_URL: `redis://:${secret()}@127.0.0.1:6379`,
  DIRECTUS_DB_URL: `postgres://lapak:${secret()}@127.0.0.1:5432/lapak_directus`,
  JWT_SECRET: secret(),
  ADMIN_API_TOKEN: secret(),
  WEBHOOK_SECRET: secret(),
  DIRECTUS_SYNC_TOKEN: secret(),
  DIRECTUS_ADMIN_TOKEN: secret(),
  DIRECTUS_ADMIN_PASSWORD: secret(),
  DIRECTUS_SECRET: secret(),
  N8N_API_KEY: secret(),
  N8N_ENCRYPTION_KEY: secret(),
  N8N_OWNER_PASSWORD: secret(),
  LAPAK_OWNER_DB_PASSWORD: secret(),
  LAPAK_APP_DB_PASSWORD: secret(),
  DIRECTUS_DB_PASSWORD: secret(),
  AWS_SECRET_ACCESS_KEY: secret(),
};
const settings = loadRunSettings(callerEnv);
const files = {
  encryptionKey: '/state/n8n-encryption-key',
  ownerPasswordHash: '/state/n8n-owner-password-hash',
};
const env = n8nEnv(settings, files, 5679);

describe('the environment pnpm start gives n8n', () => {
  it('holds no secret but the two its flows read', () => {
    const visible = Object.values(env).join('\n');
    const readByFlows = new Set([callerEnv.WEBHOOK_SECRET, callerEnv.DIRECTUS_SYNC_TOKEN]);
    for (const [name, value] of Object.entries(callerEnv)) {
      if (name === 'PATH' || name === 'HOME' || name === 'LAPAK_DATA_DIR' || name === 'LAPAK_DEMO_DATA')
        continue;
      expect(Object.keys(env), name).not.toContain(name);
      const secretPart = name.endsWith('_URL') ? new URL(value).password : value;
      if (!readByFlows.has(value)) expect(visible.includes(secretPart), `${name}'s value`).toBe(false);
    }
  });

  it('holds n8n’s own settings, the variables its flows read, and PATH and HOME', async () => {
    const flows = await loadFlows();
    const read = flows.flatMap((flow) => envReadBy(flow.workflow));
    expect(read.length).toBeGreaterThan(0);
    const own = /^(N8N_|DB_)|^(NODE_ENV|NODE_FUNCTION_ALLOW_BUILTIN|WEBHOOK_URL)$/;
    const others = Object.keys(env).filter((name) => !own.test(name) && !read.includes(name));
    expect(others.sort()).toEqual(['HOME', 'PATH']);
    expect(
      Object.keys(env)
        .filter((name) => name.startsWith('LAPAK_'))
        .sort(),
    ).toEqual([...new Set(read)].sort());
    expect(env.LAPAK_WEBHOOK_SECRET).toBe(callerEnv.WEBHOOK_SECRET);
    expect(env.LAPAK_DIRECTUS_SYNC_TOKEN).toBe(callerEnv.DIRECTUS_SYNC_TOKEN);
    expect(env.LAPAK_DIRECTUS_URL).toBe(settings.urls.directus);
    // The flows read $env, which n8n 2.x blocks unless told otherwise.
    expect(env.N8N_BLOCK_ENV_ACCESS_IN_NODE).toBe('false');
  });

  it('gives n8n its own secrets as files, which $env does not show', () => {
    expect(env.N8N_ENCRYPTION_KEY_FILE).toBe(files.encryptionKey);
    expect(env.N8N_INSTANCE_OWNER_PASSWORD_HASH_FILE).toBe(files.ownerPasswordHash);
    expect(env.N8N_ENCRYPTION_KEY).toBeUndefined();
    expect(env.N8N_INSTANCE_OWNER_PASSWORD_HASH).toBeUndefined();
  });

  it('makes the owner from settings, not from whoever visits first', () => {
    expect(env).toMatchObject({
      N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
      N8N_INSTANCE_OWNER_EMAIL: settings.N8N_OWNER_EMAIL,
    });
  });
});

describe('writeN8nSecretFiles', () => {
  /** An n8n install whose bcryptjs is a stand-in that counts the hashes it makes. */
  const install = { node22: '', directusHome: '', n8nHome: join(dataDir, 'n8n-home'), maildevHome: '' };
  const modules = join(install.n8nHome, 'node_modules');
  mkdirSync(join(modules, 'n8n'), { recursive: true });
  mkdirSync(join(modules, 'bcryptjs'), { recursive: true });
  writeFileSync(join(modules, 'n8n/package.json'), '{"name":"n8n"}');
  writeFileSync(
    join(modules, 'bcryptjs/index.js'),
    `let made = 0;
module.exports = {
  hashSync: (value, rounds) => '$2a$' + rounds + '$' + value + '#' + ++made,
  compareSync: (value, hash) => hash.split('$')[3].split('#')[0] === value,
};`,
  );

  it('writes the key and the owner password hash for n8n alone, hashing again only for a new password', () => {
    const first = writeN8nSecretFiles(settings, install);
    expect(readFileSync(first.encryptionKey, 'utf8')).toBe(callerEnv.N8N_ENCRYPTION_KEY);
    expect(readFileSync(first.ownerPasswordHash, 'utf8')).toBe(`$2a$12$${callerEnv.N8N_OWNER_PASSWORD}#1`);
    for (const file of Object.values(first)) expect(statSync(file).mode & 0o077, file).toBe(0);
    writeN8nSecretFiles(settings, install);
    expect(readFileSync(first.ownerPasswordHash, 'utf8')).toMatch(/#1$/);
    writeN8nSecretFiles({ ...settings, N8N_OWNER_PASSWORD: 'another-password' }, install);
    expect(readFileSync(first.ownerPasswordHash, 'utf8')).toBe('$2a$12$another-password#2');
  });
});
