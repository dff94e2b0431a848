import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from './token.service';

const secret = 'a-test-secret-of-at-least-32-characters!';

describe('TokenService', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies its own tokens, again from its cache, and never past their expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const tokens = new TokenService(secret, 60);
    const token = await tokens.issue({ id: '01900000-0000-7000-8000-000000000001', role: 'customer' });
    const principal = { userId: '01900000-0000-7000-8000-000000000001', role: 'customer' };
    expect(await tokens.verify(token)).toEqual(principal);
    expect(await tokens.verify(token)).toEqual(principal);

    vi.setSystemTime(new Date('2026-11-22T10:01:01Z'));
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'unauthenticated', message: /expired/ });
  });

  it('refuses a token signed with another secret and accepts the admin API token', async () => {
    const other = await new TokenService('another-secret-of-at-least-32-characters', 60).issue({
      id: '01900000-0000-7000-8000-000000000002',
      role: 'admin',
    });
    const tokens = new TokenService(secret, 60, 'admin-api-token-of-at-least-32-characters');
    await expect(tokens.verify(other)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(tokens.verify(other)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await tokens.verify('admin-api-token-of-at-least-32-characters')).toEqual({
      userId: null,
      role: 'admin',
    });
  });
});
