import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

describe('methods a path does not serve', () => {
  it.each([
    ['PUT', '/api/v1/orders', ['GET', 'HEAD', 'POST']],
    ['DELETE', '/api/v1/auth/login', ['POST']],
    ['PATCH', '/api/v1/admin/sync/stats', ['GET', 'HEAD']],
    ['PUT', '/healthz', ['GET', 'HEAD']],
  ])('%s %s answers 405 naming the allowed methods', async (method, path, allowed) => {
    const res = await api.request(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(/,\s*/).sort()).toEqual(allowed);
  });

  it('OPTIONS lists the methods of a path, including one with a parameter', async () => {
    const products = await api.request('OPTIONS', '/api/v1/products');
    expect(products.status).toBe(200);
    expect(products.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
    const cancel = await api.request('OPTIONS', '/api/v1/orders/0192e7a0-0000-7000-8000-000000000000/cancel');
    expect(cancel.headers.get('allow')).toBe('POST');
  });

  it('an unknown path is a 404 with the contract error body', async () => {
    const res = await api.request('GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/v1/nope' } });
  });
});
