/**
 * The admin app against the real API: every query in appsmith/lapak-admin.json must be an
 * operation of the API's OpenAPI document (method, path, query parameters, body fields) and
 * must be open to the admin token the app's datasource carries. An API change that would break
 * the admin app fails here.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../api/src/testing/test-api';
import { exportFile } from './src/export-file';
import { responseReads } from './src/binding-check';
import {
  bindingsIn,
  findSecrets,
  readQueries,
  readWidgets,
  replaceBindings,
  type ExportedQuery,
} from './src/export-reader';

const ADMIN_API_TOKEN = `appsmith-contract-${randomUUID()}`;
const env = useTestEnv({ ADMIN_API_TOKEN });
const api = useTestApi(env);

const exported = JSON.parse(readFileSync(exportFile, 'utf8'));
const queries = readQueries(exported);
const basePath = new URL(exported.datasourceList[0].datasourceConfiguration.url).pathname;

/** `query name → response field paths` read by the widgets of the query's page. */
const reads = new Map<string, string[][]>();
for (const { page, widget } of readWidgets(exported)) {
  const names = new Set(queries.filter((query) => query.page === page).map((query) => query.name));
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      for (const expression of bindingsIn(value)) {
        for (const read of responseReads(expression, names)) {
          const key = `${page}/${read.query}`;
          reads.set(key, [...(reads.get(key) ?? []), read.path]);
        }
      }
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) if (key !== 'children') visit(child);
    }
  };
  visit(widget);
}

type Schema = Record<string, any>;
let openapi: Schema;

/** `/api/v1/orders/{id}/cancel` → `/api/v1/orders/{}/cancel` */
const template = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

/** The OpenAPI operation `query` calls; the test fails when the document has none. */
function operationOf(query: ExportedQuery): Schema {
  const wanted = `${basePath}${query.pathTemplate}`;
  const path = Object.keys(openapi.paths).find((candidate) => template(candidate) === wanted);
  const operation: Schema | undefined = path ? openapi.paths[path][query.method.toLowerCase()] : undefined;
  expect(operation, `${query.method} ${wanted} is not in openapi.json`).toBeDefined();
  return operation!;
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(
    schema.$ref
      .split('/')
      .slice(1)
      .reduce((node: Schema, key: string) => node[key], openapi),
  );
}

/** Does `path` (`[]` for an array's elements) lead somewhere in `schema`? */
function hasPath(schema: Schema | undefined, path: string[]): boolean {
  if (!schema) return false;
  const node = resolve(schema);
  const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  if (branches.some((branch: Schema) => hasPath(branch, path))) return true;
  if (path.length === 0) return true;
  const [head, ...rest] = path;
  if (head === '[]') return node.type === 'array' && hasPath(node.items, rest);
  return hasPath(node.properties?.[head!], rest);
}

function responseSchema(operation: Schema, kind: 'success' | 'error'): Schema | undefined {
  const [, response] =
    Object.entries(operation.responses ?? {}).find(([status]) =>
      kind === 'success' ? /^2/.test(status) : /^4/.test(status),
    ) ?? [];
  return (response as Schema | undefined)?.content?.['application/json']?.schema;
}

/** The request the app sends when the query first runs: bound values still empty. */
function firstRequest(query: ExportedQuery) {
  const path = basePath + replaceBindings(query.path, randomUUID());
  const search = new URLSearchParams(
    query.params.map(({ key, value }): [string, string] => [key, value.includes('{{') ? '' : value]),
  ).toString();
  return { path: search ? `${path}?${search}` : path, body: query.bodyFields ? {} : undefined };
}

beforeAll(async () => {
  const res = await api.request('GET', '/api/v1/openapi.json');
  expect(res.status).toBe(200);
  openapi = res.body;
});

describe('the Appsmith admin app against the API', () => {
  it('has queries, all on the one datasource whose URL is the API base path, and no token', () => {
    expect(queries.length).toBeGreaterThan(10);
    expect(basePath).toBe('/api/v1');
    expect(new Set(queries.map((query) => query.datasource)).size).toBe(1);
    expect(findSecrets(exported)).toEqual([]);
    expect(JSON.stringify(exported)).not.toContain(ADMIN_API_TOKEN);
  });

  it.each(queries)('$page › $name: $method $path is an operation of the OpenAPI document', (query) => {
    const operation = operationOf(query);

    const declared = (operation.parameters ?? [])
      .filter((parameter: Schema) => parameter.in === 'query')
      .map((parameter: Schema) => parameter.name);
    expect(declared).toEqual(expect.arrayContaining(query.params.map((param) => param.key)));

    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    if (query.bodyFields) {
      expect(bodySchema, 'the operation takes no JSON body').toBeDefined();
      const fields = Object.keys(resolve(bodySchema).properties ?? {});
      expect(fields).toEqual(expect.arrayContaining(query.bodyFields));
    } else {
      expect(operation.requestBody?.required ?? false, 'the operation needs a body').toBe(false);
    }

    // The datasource sends a bearer token; the operation must accept one.
    const security: Schema[] = operation.security ?? openapi.security ?? [];
    expect(security.length === 0 || security.some((requirement) => 'bearer' in requirement)).toBe(true);
  });

  it.each(queries)('$page › $name: the response has every field the page reads', (query) => {
    const operation = operationOf(query);
    const missing = (reads.get(`${query.page}/${query.name}`) ?? [])
      .filter((path) => {
        const kind = path[0] === 'error' ? 'error' : 'success';
        return !hasPath(responseSchema(operation, kind), path);
      })
      .map((path) => path.join('.'));
    expect(missing).toEqual([]);
  });

  it.each(queries)('$page › $name: the admin token may call $method $path', async (query) => {
    const request = firstRequest(query);
    const asAdmin = await api.request(query.method, request.path, {
      token: ADMIN_API_TOKEN,
      body: request.body,
    });
    expect([401, 403], JSON.stringify(asAdmin.body)).not.toContain(asAdmin.status);
    expect(asAdmin.status, JSON.stringify(asAdmin.body)).toBeLessThan(500);
    expect(asAdmin.body?.error?.message ?? '').not.toMatch(/^No route for/);

    if (query.bodyFields) {
      // An empty body: past authentication and authorization, stopped by validation.
      expect(asAdmin.status, JSON.stringify(asAdmin.body)).toBe(400);
      expect(asAdmin.body.error.code).toBe('validation_failed');
    } else if (query.path.includes('{{')) {
      // A random id: the route is there, the admin passes, and nothing is found or changed.
      expect(asAdmin.status, JSON.stringify(asAdmin.body)).toBe(404);
      expect(asAdmin.body.error.code).toBe('not_found');
    } else {
      // Exactly what the page sends on load (empty filters, the app's own limits).
      expect(asAdmin.status, JSON.stringify(asAdmin.body)).toBe(200);
    }

    if (query.method !== 'GET') {
      const anonymous = await api.request(query.method, request.path, { body: request.body });
      expect(anonymous.status, 'a change without a token must be refused').toBe(401);
    }
  });
});
