import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi, type TestResponse } from '../testing/test-api';

const env = useTestEnv({ JWT_TTL_SECONDS: '60' });
const api = useTestApi(env);

/** The `lapak_refresh` cookie a response sets, with its attributes. */
function refreshCookie(res: TestResponse) {
  const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith('lapak_refresh='));
  if (!header) return null;
  const [pair, ...attributes] = header.split('; ');
  return { value: pair!.slice('lapak_refresh='.length), attributes: attributes.map((a) => a.toLowerCase()) };
}

const withCookie = (value: string) => ({ headers: { cookie: `lapak_refresh=${value}` } });

async function registered() {
  const email = `session-${env.unique('u')}@example.test`;
  const res = await api.request('POST', '/api/v1/auth/register', {
    body: { email, password: 'correct horse battery', name: 'Siti' },
  });
  expect(res.status).toBe(201);
  return { email, res, cookie: refreshCookie(res)! };
}

describe('sessions', () => {
  it('give an access token of minutes and a refresh token in an httpOnly, same-site cookie', async () => {
    const { res, cookie } = await registered();
    const claims = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(60);
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    expect(cookie.attributes).toEqual(
      expect.arrayContaining([
        'path=/api/v1/auth',
        'samesite=strict',
        'httponly',
        expect.stringMatching(/^expires=/),
      ]),
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { rows } = await sql<{ token_hash: string }>`select token_hash from refresh_tokens`.execute(
      env.db(),
    );
    expect(rows.map((row) => row.token_hash)).not.toContain(cookie.value);
  });

  it('renew with a refresh token once; the used one shown again ends the session everywhere', async () => {
    const { cookie } = await registered();
    const renewed = await api.request('POST', '/api/v1/auth/refresh', withCookie(cookie.value));
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ token: expect.any(String), user: { role: 'customer' } });
    const next = refreshCookie(renewed)!;
    expect(next.value).not.toBe(cookie.value);
    expect((await api.request('GET', '/api/v1/auth/me', { token: renewed.body.token })).status).toBe(200);

    // A used token shown again at once (a reload lost the answer) still renews; later, it was copied.
    const again = await api.request('POST', '/api/v1/auth/refresh', withCookie(cookie.value));
    expect(again.status).toBe(200);
    await sql`update refresh_tokens set used_at = now() - interval '11 seconds' where used_at is not null`.execute(
      env.db(),
    );
    const stolen = await api.request('POST', '/api/v1/auth/refresh', withCookie(cookie.value));
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.message).toMatch(/used from elsewhere/);
    // The family is revoked: the newest token fails too.
    expect((await api.request('POST', '/api/v1/auth/refresh', withCookie(next.value))).status).toBe(401);
  });

  it('show a changed role at the next renewal', async () => {
    const { email, cookie } = await registered();
    await sql`update users set role = 'admin' where email = ${email}`.execute(env.db());
    const renewed = await api.request('POST', '/api/v1/auth/refresh', withCookie(cookie.value));
    expect(renewed.body.user.role).toBe('admin');
    await sql`update users set role = 'customer' where email = ${email}`.execute(env.db());
    const demoted = await api.request(
      'POST',
      '/api/v1/auth/refresh',
      withCookie(refreshCookie(renewed)!.value),
    );
    expect(demoted.body.user.role).toBe('customer');
    const claims = JSON.parse(Buffer.from(demoted.body.token.split('.')[1], 'base64url').toString());
    expect(claims.role).toBe('customer');
  });

  it('end at logout, and refuse a missing, unknown or expired refresh token with 401', async () => {
    const { cookie } = await registered();
    const out = await api.request('POST', '/api/v1/auth/logout', withCookie(cookie.value));
    expect(out.status).toBe(204);
    expect(refreshCookie(out)?.value).toBe('');
    expect((await api.request('POST', '/api/v1/auth/refresh', withCookie(cookie.value))).status).toBe(401);

    const missing = await api.request('POST', '/api/v1/auth/refresh');
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/refresh cookie is missing/);
    expect((await api.request('POST', '/api/v1/auth/refresh', withCookie('nonsense'))).status).toBe(401);

    const { cookie: other } = await registered();
    await sql`update refresh_tokens set expires_at = now() - interval '1 second' where revoked_at is null and used_at is null`.execute(
      env.db(),
    );
    expect((await api.request('POST', '/api/v1/auth/refresh', withCookie(other.value))).status).toBe(401);
    expect((await api.request('POST', '/api/v1/auth/logout')).status).toBe(204);
  });

  it('let the storefront send the cookie across origins it allows (CORS with credentials)', async () => {
    const origin = env.config.CORS_ORIGINS.split(',')[0]!;
    const res = await api.request('OPTIONS', '/api/v1/auth/refresh', {
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
