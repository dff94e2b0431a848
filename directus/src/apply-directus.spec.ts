import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyDirectus, checkSyncToken } from './apply-directus';

describe('the sync token directus:apply installs', () => {
  const developmentToken = 'dev-only-directus-sync-token';

  it('may be a development token in development only', () => {
    expect(() => checkSyncToken(developmentToken, 'development')).not.toThrow();
    for (const nodeEnv of ['production', 'test'] as const) {
      expect(() => checkSyncToken(developmentToken, nodeEnv)).toThrow(
        /^DIRECTUS_SYNC_TOKEN: a development token .* only with NODE_ENV=development/,
      );
    }
    expect(() => checkSyncToken('compose-only-directus-sync-token-change-me')).toThrow(/DIRECTUS_SYNC_TOKEN/);
    expect(() => checkSyncToken(randomBytes(32).toString('hex'), 'production')).not.toThrow();
  });

  it('is refused before Directus is touched, when the environment is not said', async () => {
    await expect(
      applyDirectus({
        url: 'http://127.0.0.1:9',
        adminToken: randomBytes(32).toString('hex'),
        syncToken: developmentToken,
        databaseUrl: 'postgres://nobody@127.0.0.1:9/none',
      }),
    ).rejects.toThrow(/DIRECTUS_SYNC_TOKEN: a development token .* \(this is production\)/);
  });
});
