import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const env = useTestEnv({
  ADMIN_API_TOKEN,
  API_TRUST_PROXY: 'true',
  AUTH_RATE_LIMIT_PER_IP: '5',
  AUTH_RATE_LIMIT_PER_EMAIL: '3',
  AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
  CORS_ORIGINS: 'http://shop.test, http://admin.test',
});
const api = useTestApi(env);

let ipCounter = 0;
/** Each test sends from its own client address (the API trusts X-Forwarded-For here). */
const newIp = () => ({ 'x-forwarded-for': `198.51.100.${++ipCounter}` });
const newEmail = () => `Shopper-${randomUUID()}@Example.test`;
const password = 'correct horse battery staple';

async function userCount(email: string) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from users where lower(email) = lower(${email})
  `.execute(env.db());
  return rows[0]!.n;
}

describe('auth', () => {
  it('registers a customer with an argon2id hash, and the token it returns works', async () => {
    const email = newEmail();
    const res = await api.request('POST', '/api/v1/auth/register', {
      body: { email, password, name: 'Siti Rahma' },
      headers: newIp(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      user: {
        id: expect.any(String),
        email: email.toLowerCase(),
        name: 'Siti Rahma',
        role: 'customer',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      token: expect.any(String),
    });
    const { rows } = await sql<{ password_hash: string }>`
      select password_hash from users where id = ${res.body.user.id}
    `.execute(env.db());
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.password_hash).not.toContain(password);

    const me = await api.request('GET', '/api/v1/auth/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: res.body.user });
  });

  it('refuses a second account for the same email in any letter case with 409', async () => {
    const email = newEmail();
    const headers = newIp();
    await api.request('POST', '/api/v1/auth/register', { body: { email, password, name: 'A' }, headers });
    const again = await api.request('POST', '/api/v1/auth/register', {
      body: { email: email.toUpperCase(), password, name: 'B' },
      headers,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect(await userCount(email)).toBe(1);
  });

  it('logs in with the right password only, and says the same for an unknown email', async () => {
    const email = newEmail();
    const headers = newIp();
    await api.request('POST', '/api/v1/auth/register', { body: { email, password, name: 'A' }, headers });

    const ok = await api.request('POST', '/api/v1/auth/login', {
      body: { email: email.toUpperCase(), password },
      headers,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email.toLowerCase());
    expect((await api.request('GET', '/api/v1/auth/me', { token: ok.body.token })).status).toBe(200);

    const wrong = await api.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
      headers,
    });
    const unknown = await api.request('POST', '/api/v1/auth/login', {
      body: { email: newEmail(), password },
      headers,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('unauthenticated');
  });

  it('answers me only with a token of a user', async () => {
    expect((await api.request('GET', '/api/v1/auth/me')).status).toBe(401);
    const forged = await api.request('GET', '/api/v1/auth/me', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.x' });
    expect(forged.status).toBe(401);
    const tool = await api.request('GET', '/api/v1/auth/me', { token: ADMIN_API_TOKEN });
    expect(tool.status).toBe(404);
  });

  const login = (email: string, secret: string, headers: Record<string, string>) =>
    api.request('POST', '/api/v1/auth/login', { body: { email, password: secret }, headers });
  /** A new customer, registered from an address of its own: its email. */
  const registered = async () => {
    const email = newEmail();
    await api.request('POST', '/api/v1/auth/register', {
      body: { email, password, name: 'A' },
      headers: newIp(),
    });
    return email;
  };

  it('locks out the place that failed a login too often, with 429 and Retry-After, never the owner elsewhere', async () => {
    const email = await registered();
    const attacker = newIp();
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong password', attacker)).status).toBe(401);
    // Even the right password is refused from there until the window passes…
    const limited = await login(email, password, attacker);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // …while the owner, from another place, logs in.
    expect((await login(email, password, newIp())).status).toBe(200);
  });

  it('counts a client’s failed logins across emails, and its successes not at all', async () => {
    const email = await registered();
    const client = newIp();
    for (let i = 0; i < 6; i++) expect((await login(email, password, client)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(newEmail(), 'wrong password', client)).status).toBe(401);
    expect((await login(email, password, client)).status).toBe(429);
    expect((await login(email, password, newIp())).status).toBe(200);
  });

  it('buckets IPv6 clients by their /64', async () => {
    const email = await registered();
    const prefix = `2001:db8:${(++ipCounter).toString(16)}:7`;
    const from = (address: string) => ({ 'x-forwarded-for': address });
    expect((await login(email, 'wrong password', from(`${prefix}::1`))).status).toBe(401);
    expect((await login(email, 'wrong password', from(`${prefix}::ffff`))).status).toBe(401);
    expect((await login(email, 'wrong password', from(`${prefix}:a:b:c:d`))).status).toBe(401);
    expect((await login(email, password, from(`${prefix}::2`))).status).toBe(429);
    const elsewhere = { 'x-forwarded-for': `2001:db8:${(++ipCounter).toString(16)}:8::1` };
    expect((await login(email, password, elsewhere)).status).toBe(200);
  });

  it('limits register attempts per address, and a good login clears the email’s failures', async () => {
    const headers = newIp();
    for (let i = 0; i < 5; i++) {
      const res = await api.request('POST', '/api/v1/auth/register', {
        body: { email: newEmail(), password, name: 'A' },
        headers,
      });
      expect(res.status).toBe(201);
    }
    const email = newEmail();
    const limited = await api.request('POST', '/api/v1/auth/register', {
      body: { email, password, name: 'A' },
      headers,
    });
    expect(limited.status).toBe(429);
    expect(await userCount(email)).toBe(0);

    const mine = await registered();
    // Two failures, then a good login, twice from one place: four failures in the window, never
    // three in a row, so never locked out.
    const place = newIp();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await login(mine, 'wrong password', place)).status).toBe(401);
      expect((await login(mine, password, place)).status).toBe(200);
    }
  });

  it('allows the configured browser origins only', async () => {
    const preflight = await api.request('OPTIONS', '/api/v1/orders', {
      headers: {
        origin: 'http://shop.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://shop.test');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);

    const simple = await api.request('GET', '/api/v1/categories', {
      headers: { origin: 'http://admin.test' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBe('http://admin.test');
    expect(simple.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);

    const stranger = await api.request('GET', '/api/v1/categories', {
      headers: { origin: 'http://evil.test' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('creates an admin from the command line, and makes an existing user an admin', async () => {
    const run = (args: string[]) =>
      promisify(execFile)('pnpm', ['--silent', '--filter', '@lapak/core', 'create-admin', ...args], {
        env: { ...process.env, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: 'info' },
      });
    const email = newEmail();
    await run(['--email', email, '--password', 'admin password 1', '--name', 'Ops']);
    const login = await api.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'admin password 1' },
      headers: newIp(),
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'admin', name: 'Ops' });

    const customer = newEmail();
    await api.request('POST', '/api/v1/auth/register', {
      body: { email: customer, password, name: 'C' },
      headers: newIp(),
    });
    await run(['--email', customer, '--password', 'admin password 2', '--name', 'Promoted']);
    const promoted = await api.request('POST', '/api/v1/auth/login', {
      body: { email: customer, password: 'admin password 2' },
      headers: newIp(),
    });
    expect(promoted.body.user).toMatchObject({ role: 'admin', name: 'Promoted' });
    expect(await userCount(customer)).toBe(1);

    await expect(run(['--email', 'not-an-email', '--password', 'x'])).rejects.toMatchObject({ code: 2 });
  });
});
