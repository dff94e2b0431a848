import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { apiRouters } from '../app';
import { openApiPath } from '../openapi/openapi-document';
import { routeDocs, undocumentedRoutes } from '../openapi/route-docs';
import { healthRoutes } from './health.routes';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

/** Every (method, path) the app serves, from its routers. */
function servedRoutes(): string[] {
  const served = new Set<string>();
  const collect = (prefix: string, router: ReturnType<typeof healthRoutes>) => {
    for (const layer of router.stack) {
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        served.add(`${method.toLowerCase()} ${prefix}${layer.path}`.replace(/\/$/, ''));
      }
    }
  };
  collect('', healthRoutes(api.deps));
  for (const router of apiRouters(api.deps)) collect('/api/v1', router);
  return [...served].sort();
}

describe('OpenAPI document and reference page', () => {
  it('documents every route the app serves, and nothing else', () => {
    const documented = routeDocs.map((route) => `${route.method} ${route.path}`);
    expect(new Set(documented).size).toBe(documented.length);
    expect(servedRoutes()).toEqual([...documented, ...undocumentedRoutes].sort());
  });

  it('serves an OpenAPI 3.1 document built from the validating schemas, with errors and security', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: env.config.API_PUBLIC_URL }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const route of routeDocs) {
      const operation = doc.paths[openApiPath(route.path)]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(operation.responses)).toContain('500');
    }

    const checkout = doc.paths['/api/v1/orders'].post;
    expect(checkout.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(checkout.responses).sort()).toEqual(
      ['200', '202', '400', '401', '403', '409', '413', '415', '422', '429', '500'].sort(),
    );
    expect(checkout.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true }),
      ]),
    );
    const body = resolve(doc, checkout.requestBody.content['application/json'].schema);
    expect(body.required).toEqual(['items', 'shippingAddress', 'paymentMethod']);
    expect(body.additionalProperties).toBe(false);
    expect(resolve(doc, body.properties.items)).toMatchObject({ minItems: 1, maxItems: 100 });

    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.responses['429'].headers).toHaveProperty('Retry-After');
    expect(
      doc.paths['/api/v1/products/{id}'].delete.responses['403'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/Error',
    });

    // Every reference points at a component that exists.
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
  });

  it('serves the reference page and its script from this server, with no outside sources', async () => {
    const page = await api.request('GET', '/api/v1/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['docs/scalar.js', 'docs/init.js']);

    const bundle = await fetch(`${api.url}/api/v1/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const init = await api.request('GET', '/api/v1/docs/init.js');
    expect(init.text).toContain("url: 'openapi.json'");
  });
});

function resolve(doc: any, schema: any): any {
  if (!schema?.$ref) return schema;
  return doc.components.schemas[schema.$ref.split('/').pop()];
}
