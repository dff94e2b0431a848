import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { createApp } from '../app';
import { useTestApi } from '../testing/test-api';

/** The API's security headers and its metrics port, on the real API. */
const env = useTestEnv();
const api = useTestApi(env);

/** The headers every answer carries, JSON and errors alike. */
function expectSecurityHeaders(headers: Headers) {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

const servers: { close(): void; closeAllConnections(): void }[] = [];
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** The same API behind a TLS proxy it trusts (API_TRUST_PROXY=true), on a port of its own. */
async function behindTrustedProxy(): Promise<string> {
  const server = createApp({ ...api.deps, config: { ...api.deps.config, API_TRUST_PROXY: true } }).listen(
    0,
    '127.0.0.1',
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('security headers', () => {
  it('are on every answer: JSON, errors and unknown routes', async () => {
    for (const [path, status] of [
      ['/api/v1/categories', 200],
      ['/api/v1/orders', 401],
      ['/api/v1/nowhere', 404],
      ['/healthz', 200],
    ] as const) {
      const response = await api.request('GET', path);
      expect(response.status, path).toBe(status);
      expectSecurityHeaders(response.headers);
    }
    const badJson = await api.request('POST', '/api/v1/auth/login', { raw: '{"email":' });
    expect(badJson.status).toBe(400);
    expectSecurityHeaders(badJson.headers);
  });

  it('leave the reference page its own policy, which loads only from the API itself', async () => {
    const page = await api.request('GET', '/api/v1/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('send HSTS only for a request that came over TLS, as a trusted proxy says', async () => {
    const plain = await api.request('GET', '/healthz');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    // Not trusted: a client's own X-Forwarded-Proto changes nothing.
    const claimed = await api.request('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();

    const proxied = await behindTrustedProxy();
    const overTls = await fetch(`${proxied}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expectSecurityHeaders(overTls.headers);
    const overHttp = await fetch(`${proxied}/healthz`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(overHttp.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('/metrics', () => {
  it('is not served on the public port', async () => {
    const response = await api.request('GET', '/metrics');
    expect(response.status).toBe(404);
    expect(response.text).not.toMatch(/http_requests_total|process_cpu/);
  });

  it('is served on its own port, and nothing else is', async () => {
    await api.request('GET', '/api/v1/categories');
    const metrics = await fetch(`${api.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('http_requests_total{method="GET",route="/api/v1/categories",status="200"}');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    for (const path of ['/healthz', '/api/v1/categories', '/']) {
      expect((await fetch(`${api.metricsUrl}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${api.metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
