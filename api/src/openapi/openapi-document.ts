import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import {
  errorBodySchema,
  errorStatus,
  idSchema,
  orderStatusUpdateSchema,
  type ErrorCode,
} from '@lapak/contracts';
import { retryAfterHeaders, routeDocs, type RouteDoc } from './route-docs';

const errorDescriptions: Record<ErrorCode, string> = {
  validation_failed: 'validation_failed: the input is not valid; `details` names each bad field',
  unauthenticated: 'unauthenticated: no token, or a forged, expired or unknown one',
  forbidden: 'forbidden: the caller may not do this (e.g. a customer on an admin route)',
  not_found: 'not_found: no such resource, or not visible to the caller',
  method_not_allowed: 'method_not_allowed: the path does not serve this method; `Allow` lists those it does',
  conflict: 'conflict: the change clashes with the current state (e.g. duplicate sku)',
  payload_too_large: 'payload_too_large: the body is over 1 MB',
  unsupported_media_type: 'unsupported_media_type: the body is not application/json',
  idempotency_key_reused: 'idempotency_key_reused: the key was used with another body',
  invalid_state:
    'invalid_state: the order is not in a status that allows this (e.g. paying one not awaiting payment)',
  payment_amount_mismatch: 'payment_amount_mismatch: the amount differs from what the payment asks for',
  payment_reference_mismatch: "payment_reference_mismatch: the reference given is not the payment's",
  quantity_limit_exceeded:
    'quantity_limit_exceeded: a line asks for more units than the shop lets one order have; `details` names it',
  rate_limited: 'rate_limited: too many attempts; see Retry-After',
  internal: 'internal: a fault on the server side (never caused by input); it has been logged',
};

/** Every error a route can answer: its own plus those that follow from its shape and access. */
export function errorCodesOf(route: RouteDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  const hasId = route.path.includes('/:');
  if (route.body || route.query || route.headers || hasId) codes.add('validation_failed');
  if (route.body) {
    codes.add('payload_too_large');
    codes.add('unsupported_media_type');
  }
  if (route.access !== 'public') codes.add('unauthenticated');
  if (route.access === 'admin') codes.add('forbidden');
  if (hasId) codes.add('not_found');
  codes.add('internal');
  return [...codes];
}

function operation(route: RouteDoc): ZodOpenApiOperationObject {
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: doc.description,
      ...(doc.headers ? { headers: doc.headers } : {}),
      ...(doc.schema ? { content: { [doc.contentType ?? 'application/json']: { schema: doc.schema } } } : {}),
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  }
  for (const [status, codes] of byStatus) {
    responses[String(status) as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: codes.map((code) => errorDescriptions[code]).join('; '),
      ...(codes.includes('rate_limited') ? { headers: retryAfterHeaders } : {}),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }

  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string = '') => c.toUpperCase())}`,
    security:
      route.access === 'public' ? [] : route.access === 'optional' ? [{}, { bearer: [] }] : [{ bearer: [] }],
    requestParams: {
      ...(pathParams.length
        ? { path: z.object(Object.fromEntries(pathParams.map((name) => [name, idSchema]))) }
        : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.headers ? { header: route.headers } : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses,
  };
}

/** `/api/v1/orders/:id` → `/api/v1/orders/{id}` */
export const openApiPath = (koaPath: string) => koaPath.replace(/:(\w+)/g, '{$1}');

/** The OpenAPI 3.1 document of the API, built from the route registry and the contract schemas. */
export function buildOpenApiDocument(options: { serverUrl: string; routes?: RouteDoc[] }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of options.routes ?? routeDocs) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Lapak API',
      version: '1',
      description:
        'Catalog, auth and orders. Money is an integer in minor units with an ISO 4217 currency; ids are ' +
        'UUIDs; timestamps are ISO 8601 UTC. Every non-2xx answer is an `Error` body.',
    },
    servers: [{ url: options.serverUrl }],
    tags: [
      { name: 'Auth', description: 'Register, log in, who am I' },
      { name: 'Catalog', description: 'Products and categories (admins write; drafts only for admins)' },
      { name: 'Orders', description: 'Checkout, order reads, live status, payment and cancellation' },
      { name: 'Settings', description: 'The shop settings an admin changes at run time' },
      {
        name: 'Sync',
        description: 'The catalog sync to Directus: health, delivery log, dead letters, replay',
      },
      { name: 'Operations', description: 'Health, readiness, metrics and this document' },
    ],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A user JWT from /auth/login or /auth/register, or the deployment’s admin API token (admin role).',
        },
      },
      schemas: { OrderStatusUpdate: orderStatusUpdateSchema },
    },
    paths,
  });
}
