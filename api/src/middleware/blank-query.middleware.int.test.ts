import { describe, expect, it } from 'vitest';
import { makeCategory, makeProduct, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

describe('query parameters sent empty', () => {
  it('are dropped, so an empty filter bar lists everything instead of failing validation', async () => {
    const em = env.orm.em.fork();
    const category = await makeCategory(em);
    const product = await makeProduct(em, { categoryId: category.id });

    const res = await api.request('GET', '/api/v1/products?q=&status=&categoryId=&cursor=&limit=');
    expect(res.status).toBe(200);
    expect(res.body.items.map((item: { id: string }) => item.id)).toContain(product.id);
  });

  it('leave filled parameters in place and still validated', async () => {
    const em = env.orm.em.fork();
    const category = await makeCategory(em);
    const inCategory = await makeProduct(em, { categoryId: category.id });
    const elsewhere = await makeProduct(em);

    const filtered = await api.request('GET', `/api/v1/products?q=&categoryId=${category.id}`);
    expect(filtered.status).toBe(200);
    const ids = filtered.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(inCategory.id);
    expect(ids).not.toContain(elsewhere.id);

    const bad = await api.request('GET', '/api/v1/products?status=&categoryId=not-a-uuid');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details)).toEqual(['categoryId']);
  });

  it('drops only the empty values of a repeated parameter', async () => {
    const res = await api.request('GET', '/api/v1/products?status=&status=draft&status=');
    expect(res.status).toBe(200);
    expect(res.body.items.every((item: { status: string }) => item.status === 'draft')).toBe(true);
  });
});
