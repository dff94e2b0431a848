import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

describe('methods a path does not serve (never a 5xx)', () => {
  it.each([
    ['PUT', '/api/v1/orders', ['GET', 'HEAD', 'POST']],
    ['DELETE', '/api/v1/auth/login', ['POST']],
    ['PATCH', '/api/v1/admin/sync/stats', ['GET', 'HEAD']],
    ['PUT', '/healthz', ['GET', 'HEAD']],
    ['PROPFIND', '/api/v1/products', ['GET', 'HEAD', 'POST']],
  ])(
    '%s %s answers 405 naming the allowed methods, in the contract error body',
    async (method, path, allowed) => {
      const res = await api.request(method, path);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')?.split(/,\s*/).sort()).toEqual(allowed);
      expect(res.body).toEqual({
        error: {
          code: 'method_not_allowed',
          message: `${method} is not served on ${path}; it serves ${res.headers.get('allow')}`,
        },
      });
    },
  );

  it('OPTIONS lists the methods of a path, including one with a parameter', async () => {
    const products = await api.request('OPTIONS', '/api/v1/products');
    expect(products.status).toBe(200);
    expect(products.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
    const cancel = await api.request('OPTIONS', '/api/v1/orders/0192e7a0-0000-7000-8000-000000000000/cancel');
    expect(cancel.headers.get('allow')).toBe('POST');
  });

  it.each(['GET', 'PROPFIND'])(
    '%s on an unknown path is a 404 with the contract error body',
    async (method) => {
      const res = await api.request(method, '/api/v1/nope');
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(res.body).toEqual({
        error: { code: 'not_found', message: `No route for ${method} /api/v1/nope` },
      });
    },
  );
});
