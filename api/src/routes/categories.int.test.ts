import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TokenService } from '@lapak/core';
import { makeCategory, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
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

  it('serves healthz and readyz, and metrics on their own port', async () => {
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    const ready = await api.request('GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: true, redis: true } });
    expect((await api.request('GET', '/metrics')).status).toBe(404);
    const metrics = await (await fetch(`${api.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{method="GET",route="/api/v1/categories",status="200"}');
  });

  it('replaces and patches with version + 1 and one event per change', async () => {
    const token = await adminToken();
    const parent = await makeCategory(env.orm.em.fork());
    const { body: created } = await api.request('POST', '/api/v1/categories', {
      token,
      body: { name: 'Rempah' },
    });
    const path = `/api/v1/categories/${created.id}`;

    const put = await api.request('PUT', path, { token, body: { name: 'Bumbu Dapur', parentId: parent.id } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      name: 'Bumbu Dapur',
      slug: 'bumbu-dapur',
      parentId: parent.id,
      version: 2,
    });
    const patch = await api.request('PATCH', path, { token, body: { parentId: null } });
    expect(patch.body).toMatchObject({ name: 'Bumbu Dapur', parentId: null, version: 3 });

    const { rows } = await sql<{ type: string; aggregate_version: number; payload: unknown }>`
      select type, aggregate_version, payload from outbox_events where aggregate_id = ${created.id} order by seq
    `.execute(env.orm.em.fork().getKysely());
    expect(rows.map((r) => [r.type, r.aggregate_version])).toEqual([
      ['category.upserted', 1],
      ['category.upserted', 2],
      ['category.upserted', 3],
    ]);
    expect(rows[1]!.payload).toEqual({ name: 'Bumbu Dapur', slug: 'bumbu-dapur', parentId: parent.id });
  });

  it('refuses a parent that is the category itself or below it, and a taken slug', async () => {
    const token = await adminToken();
    const em = env.orm.em.fork();
    const top = await makeCategory(em);
    const middle = await makeCategory(em, { parentId: top.id });
    const bottom = await makeCategory(em, { parentId: middle.id });
    for (const parentId of [top.id, bottom.id]) {
      const res = await api.request('PATCH', `/api/v1/categories/${top.id}`, { token, body: { parentId } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toHaveProperty('parentId');
    }
    const missing = await api.request('PATCH', `/api/v1/categories/${top.id}`, {
      token,
      body: { parentId: '01900000-0000-7000-8000-000000000000' },
    });
    expect(missing.status).toBe(400);
    const taken = await api.request('PATCH', `/api/v1/categories/${top.id}`, {
      token,
      body: { slug: bottom.slug },
    });
    expect(taken.status).toBe(409);
    const { rows } = await sql<{
      version: number;
    }>`select version from categories where id = ${top.id}`.execute(env.orm.em.fork().getKysely());
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('deletes a category only when no live product or subcategory is in it', async () => {
    const token = await adminToken();
    const em = env.orm.em.fork();
    const category = await makeCategory(em);
    const child = await makeCategory(em, { parentId: category.id });
    const product = await makeProduct(em, { categoryId: category.id });
    const path = `/api/v1/categories/${category.id}`;

    const refused = await api.request('DELETE', path, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/1 product\(s\) and 1 subcategory/);
    expect((await api.request('GET', path)).status).toBe(200);

    await api.request('DELETE', `/api/v1/categories/${child.id}`, { token });
    await api.request('DELETE', `/api/v1/products/${product.id}`, { token });
    const deleted = await api.request('DELETE', path, { token });
    expect(deleted.status).toBe(204);
    expect((await api.request('GET', path)).status).toBe(404);
    expect((await api.request('DELETE', path, { token })).status).toBe(404);
    const { rows } = await sql<{ type: string; aggregate_version: number }>`
      select type, aggregate_version from outbox_events where aggregate_id = ${category.id} order by seq
    `.execute(env.orm.em.fork().getKysely());
    expect(rows).toEqual([{ type: 'category.deleted', aggregate_version: 2 }]);
  });
});
