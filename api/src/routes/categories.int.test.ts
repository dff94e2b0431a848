import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TokenService } from '@lapak/core';
import { makeCategory, makeUser, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

async function adminToken() {
  const admin = await makeUser(env.orm.em.fork(), { role: 'admin' });
  return new TokenService(env.config.JWT_SECRET, 3600).issue(admin);
}

describe('categories', () => {
  it('lists categories stored in PostgreSQL, paginated by cursor', async () => {
    const em = env.orm.em.fork();
    const created = [await makeCategory(em), await makeCategory(em), await makeCategory(em)];

    const first = await api.request('GET', '/api/v1/categories?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(created.slice(0, 2).map((c) => c.id));
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await api.request('GET', `/api/v1/categories?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([created[2]!.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('creates a category and its outbox event in one transaction', async () => {
    const token = await adminToken();
    const res = await api.request('POST', '/api/v1/categories', { token, body: { name: 'Kopi & Teh' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Kopi & Teh', slug: 'kopi-teh', version: 1, parentId: null });

    const { rows } = await sql<{ type: string; aggregate_version: number }>`
      select type, aggregate_version from outbox_events where aggregate_id = ${res.body.id}
    `.execute(env.orm.em.fork().getKysely());
    expect(rows).toEqual([{ type: 'category.upserted', aggregate_version: 1 }]);
  });

  it('refuses a duplicate slug with 409 and writes nothing', async () => {
    const token = await adminToken();
    await api.request('POST', '/api/v1/categories', { token, body: { name: 'Sambal' } });
    const again = await api.request('POST', '/api/v1/categories', { token, body: { name: 'Sambal' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from categories where slug = 'sambal'`.execute(env.orm.em.fork().getKysely());
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('answers bad input with the contract error body', async () => {
    const token = await adminToken();
    const cases = [
      { raw: '{"name":', status: 400, code: 'validation_failed' },
      { body: { name: 42 }, status: 400, code: 'validation_failed' },
      { body: { name: 'x', extra: true }, status: 400, code: 'validation_failed' },
      {
        raw: 'name=x',
        headers: { 'content-type': 'text/plain' },
        status: 415,
        code: 'unsupported_media_type',
      },
    ];
    for (const { status, code, ...options } of cases) {
      const res = await api.request('POST', '/api/v1/categories', { token, ...options });
      expect(res.status, JSON.stringify(options)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const anonymous = await api.request('POST', '/api/v1/categories', { body: { name: 'x' } });
    expect(anonymous.status).toBe(401);
    const customer = await makeUser(env.orm.em.fork());
    const customerToken = await new TokenService(env.config.JWT_SECRET, 3600).issue(customer);
    const forbidden = await api.request('POST', '/api/v1/categories', {
      token: customerToken,
      body: { name: 'x' },
    });
    expect(forbidden.status).toBe(403);
  });

  it('serves healthz, readyz and metrics', async () => {
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    const ready = await api.request('GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: true, redis: true } });
    const metrics = await api.request('GET', '/metrics');
    expect(metrics.text).toContain(
      'http_requests_total{method="GET",route="/api/v1/categories",status="200"}',
    );
  });
});
