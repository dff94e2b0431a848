import { z } from 'zod';
import {
  authResultSchema,
  categoryCreateSchema,
  categoryListQuerySchema,
  categoryPageSchema,
  categoryPatchSchema,
  categoryReplaceSchema,
  categorySchema,
  loginSchema,
  meSchema,
  orderCreateHeadersSchema,
  orderCreateSchema,
  orderListQuerySchema,
  orderPageSchema,
  orderSchema,
  paymentConfirmSchema,
  shopSettingsPatchSchema,
  shopSettingsSchema,
  productCreateSchema,
  productListQuerySchema,
  productPageSchema,
  productPatchSchema,
  productReplaceSchema,
  productSchema,
  variantCreateSchema,
  variantPatchSchema,
  registerSchema,
  syncDeadLetterListQuerySchema,
  syncDeadLetterPageSchema,
  syncDeadLetterSchema,
  syncDeliveryListQuerySchema,
  syncDeliveryPageSchema,
  syncStatsSchema,
  type ErrorCode,
} from '@lapak/contracts';

/**
 * Who may call a route: `public` (no token read), `optional` (a token changes what is
 * visible: admins see drafts), `user` (any valid token), `admin` (an admin's JWT or the
 * admin API token).
 */
export type Access = 'public' | 'optional' | 'user' | 'admin';

export interface ResponseDoc {
  description: string;
  /** JSON body schema; omit for an empty body (204). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  headers?: z.ZodObject;
}

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path, e.g. `/api/v1/orders/:id`. */
  path: string;
  tag: 'Auth' | 'Catalog' | 'Orders' | 'Settings' | 'Sync' | 'Operations';
  summary: string;
  description?: string;
  access: Access;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
  /**
   * Error codes this route answers besides the ones every route of its kind has (bad input,
   * missing token, admin only, unknown id, body size and type, internal): those are added by
   * the document builder.
   */
  errors?: ErrorCode[];
}

/** The header of a 429. */
export const retryAfterHeaders = z.object({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again' }),
});
const text = (description: string, contentType: string): ResponseDoc => ({
  description,
  contentType,
  schema: z.string(),
});

/**
 * THE list of the API's routes and their schemas: the OpenAPI document is built from it, and
 * a test fails when a route of the app is missing here (or a doc names no route). A new
 * route gets its entry here, with the same contract schemas its handler validates with.
 */
export const routeDocs: RouteDoc[] = [
  // Operations
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Liveness',
    access: 'public',
    responses: { 200: { description: 'The process runs', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Operations',
    summary: 'Readiness: PostgreSQL and Redis reachable',
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: readiness() },
      503: { description: 'PostgreSQL or Redis is not reachable', schema: readiness() },
    },
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    tag: 'Operations',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
    responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: 'get',
    path: '/api/v1/docs',
    tag: 'Operations',
    summary: 'Browsable API reference (this document, rendered)',
    access: 'public',
    responses: { 200: text('An HTML page', 'text/html') },
  },

  // Auth
  {
    method: 'post',
    path: '/api/v1/auth/register',
    tag: 'Auth',
    summary: 'Register a customer',
    description:
      'Attempts are limited per client IP and per email. Starts a session: an access token of ' +
      'minutes in the body, and its refresh token in the httpOnly cookie `lapak_refresh`.',
    access: 'public',
    body: registerSchema,
    responses: { 201: { description: 'The new customer and a token', schema: authResultSchema } },
    errors: ['conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'Auth',
    summary: 'Log in',
    description:
      'A wrong password and an unknown email get the same 401. Attempts are limited per IP and ' +
      'email. Starts a session as register does.',
    access: 'public',
    body: loginSchema,
    responses: { 200: { description: 'The user and a token', schema: authResultSchema } },
    errors: ['unauthenticated', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/api/v1/auth/refresh',
    tag: 'Auth',
    summary: 'Renew the access token',
    description:
      'With the `lapak_refresh` cookie: a new access token (the user read again, so a changed role ' +
      'shows) and a new refresh cookie; the one sent is used up. A used one sent again ends the ' +
      'session everywhere (401).',
    access: 'public',
    responses: { 200: { description: 'The user and a new token', schema: authResultSchema } },
    errors: ['unauthenticated'],
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    tag: 'Auth',
    summary: 'Log out',
    description:
      'Ends the session of the `lapak_refresh` cookie (its refresh tokens are revoked) and clears it.',
    access: 'public',
    responses: { 204: { description: 'Logged out' } },
  },
  {
    method: 'get',
    path: '/api/v1/auth/me',
    tag: 'Auth',
    summary: 'The caller',
    description: 'The admin API token belongs to no user: 404.',
    access: 'user',
    responses: { 200: { description: 'The user of the token', schema: meSchema } },
    errors: ['not_found'],
  },

  // Catalog: categories
  {
    method: 'get',
    path: '/api/v1/categories',
    tag: 'Catalog',
    summary: 'List categories',
    access: 'public',
    query: categoryListQuerySchema,
    responses: { 200: { description: 'A page of categories', schema: categoryPageSchema } },
  },
  {
    method: 'get',
    path: '/api/v1/categories/:id',
    tag: 'Catalog',
    summary: 'One category',
    access: 'public',
    responses: { 200: { description: 'The category', schema: categorySchema } },
  },
  {
    method: 'post',
    path: '/api/v1/categories',
    tag: 'Catalog',
    summary: 'Create a category',
    access: 'admin',
    body: categoryCreateSchema,
    responses: { 201: { description: 'The new category (version 1)', schema: categorySchema } },
    errors: ['conflict'],
  },
  {
    method: 'put',
    path: '/api/v1/categories/:id',
    tag: 'Catalog',
    summary: 'Replace a category',
    access: 'admin',
    body: categoryReplaceSchema,
    responses: { 200: { description: 'The category, version + 1', schema: categorySchema } },
    errors: ['conflict'],
  },
  {
    method: 'patch',
    path: '/api/v1/categories/:id',
    tag: 'Catalog',
    summary: 'Change some fields of a category',
    access: 'admin',
    body: categoryPatchSchema,
    responses: { 200: { description: 'The category, version + 1', schema: categorySchema } },
    errors: ['conflict'],
  },
  {
    method: 'delete',
    path: '/api/v1/categories/:id',
    tag: 'Catalog',
    summary: 'Delete a category (soft)',
    description: '409 while live products or subcategories are in it.',
    access: 'admin',
    responses: { 204: { description: 'Deleted' } },
    errors: ['conflict'],
  },

  // Catalog: products
  {
    method: 'get',
    path: '/api/v1/products',
    tag: 'Catalog',
    summary: 'List products',
    description: 'Only published products unless the caller is an admin. `q` matches name or sku.',
    access: 'optional',
    query: productListQuerySchema,
    responses: { 200: { description: 'A page of products', schema: productPageSchema } },
  },
  {
    method: 'get',
    path: '/api/v1/products/:id',
    tag: 'Catalog',
    summary: 'One product',
    description: 'Drafts and archived products are 404 unless the caller is an admin.',
    access: 'optional',
    responses: { 200: { description: 'The product', schema: productSchema } },
  },
  {
    method: 'post',
    path: '/api/v1/products',
    tag: 'Catalog',
    summary: 'Create a product',
    access: 'admin',
    body: productCreateSchema,
    responses: { 201: { description: 'The new product (version 1)', schema: productSchema } },
    errors: ['conflict'],
  },
  {
    method: 'put',
    path: '/api/v1/products/:id',
    tag: 'Catalog',
    summary: 'Replace a product',
    access: 'admin',
    body: productReplaceSchema,
    responses: { 200: { description: 'The product, version + 1', schema: productSchema } },
    errors: ['conflict'],
  },
  {
    method: 'patch',
    path: '/api/v1/products/:id',
    tag: 'Catalog',
    summary: 'Change some fields of a product',
    access: 'admin',
    body: productPatchSchema,
    responses: { 200: { description: 'The product, version + 1', schema: productSchema } },
    errors: ['conflict'],
  },
  {
    method: 'delete',
    path: '/api/v1/products/:id',
    tag: 'Catalog',
    summary: 'Delete a product (soft)',
    access: 'admin',
    responses: { 204: { description: 'Deleted' } },
  },
  {
    method: 'post',
    path: '/api/v1/products/:id/variants',
    tag: 'Catalog',
    summary: 'Add a variant to a product with options',
    description:
      "Its option values must be one of each option's values and differ from every other " +
      "variant's. A product without options has one variant, itself: 409.",
    access: 'admin',
    body: variantCreateSchema,
    responses: {
      201: { description: 'The product with the new variant, version + 1', schema: productSchema },
    },
    errors: ['conflict', 'invalid_state'],
  },
  {
    method: 'patch',
    path: '/api/v1/products/:id/variants/:variantId',
    tag: 'Catalog',
    summary: 'Change a variant',
    access: 'admin',
    body: variantPatchSchema,
    responses: { 200: { description: 'The product, version + 1', schema: productSchema } },
    errors: ['conflict'],
  },
  {
    method: 'delete',
    path: '/api/v1/products/:id/variants/:variantId',
    tag: 'Catalog',
    summary: 'Remove a variant',
    description: 'A product keeps at least one variant: removing the last is 409.',
    access: 'admin',
    responses: { 200: { description: 'The product without it, version + 1', schema: productSchema } },
    errors: ['invalid_state'],
  },

  // Orders
  {
    method: 'post',
    path: '/api/v1/orders',
    tag: 'Orders',
    summary: 'Check out',
    description:
      'Stores the order as pending, with its shipping address and payment method, and queues it. ' +
      'The order worker reserves its stock (a bank transfer then awaits payment until its ' +
      'deadline; cash on delivery is confirmed) or fails it. The same Idempotency-Key with the ' +
      'same body returns the same order (200); with another body, 422.',
    access: 'user',
    headers: orderCreateHeadersSchema,
    body: orderCreateSchema,
    responses: {
      202: { description: 'Accepted: the new pending order', schema: orderSchema },
      200: { description: 'A retry: the order this key made before', schema: orderSchema },
    },
    errors: ['forbidden', 'idempotency_key_reused', 'quantity_limit_exceeded', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/api/v1/orders',
    tag: 'Orders',
    summary: 'List orders',
    description: "The caller's orders, newest first; an admin sees everyone's.",
    access: 'user',
    query: orderListQuerySchema,
    responses: { 200: { description: 'A page of orders', schema: orderPageSchema } },
  },
  {
    method: 'get',
    path: '/api/v1/orders/:id',
    tag: 'Orders',
    summary: 'One order',
    description: "The owner or an admin; another user's order is 404.",
    access: 'user',
    responses: { 200: { description: 'The order', schema: orderSchema } },
  },
  {
    method: 'post',
    path: '/api/v1/orders/:id/payment/confirm',
    tag: 'Orders',
    summary: 'Record a bank transfer received',
    description:
      'The order must be awaiting payment and the amount exactly what its payment asks for (and ' +
      "the reference, if given, the payment's own); the payment becomes paid and the order " +
      'confirmed. Otherwise nothing changes.',
    access: 'admin',
    body: paymentConfirmSchema,
    responses: { 200: { description: 'The confirmed order', schema: orderSchema } },
    errors: ['not_found', 'invalid_state', 'payment_amount_mismatch', 'payment_reference_mismatch'],
  },
  {
    method: 'get',
    path: '/api/v1/orders/:id/events',
    tag: 'Orders',
    summary: 'Live status of an order (Server-Sent Events)',
    description:
      'A `status` event with the current status first, then one per change, each with an ' +
      '`OrderStatusUpdate` as its JSON data; `: heartbeat` comments in between. The stream ends ' +
      'after a final status (confirmed, failed, cancelled): close the EventSource then, or it reconnects. ' +
      'It also ends after `SSE_MAX_LIFETIME_MS` (10 minutes by default) without a final status: the ' +
      'EventSource then connects again. A user may hold `SSE_MAX_STREAMS_PER_USER` streams at once ' +
      '(5 by default), and an API process `SSE_MAX_STREAMS_PER_PROCESS`; past either, 429.',
    access: 'user',
    responses: { 200: text('text/event-stream of `status` events', 'text/event-stream') },
    errors: ['rate_limited'],
  },
  {
    method: 'post',
    path: '/api/v1/orders/:id/cancel',
    tag: 'Orders',
    summary: 'Cancel an order',
    description:
      'The owner while the order is pending or awaiting payment; an admin also once it is ' +
      'confirmed. Reserved stock is returned (each product gets a new version) and the payment ' +
      'becomes expired, or refunded if it was paid. A failed or cancelled order, or a confirmed ' +
      'one for its owner: 409.',
    access: 'user',
    responses: { 200: { description: 'The cancelled order', schema: orderSchema } },
    errors: ['conflict'],
  },

  // Settings
  {
    method: 'get',
    path: '/api/v1/settings',
    tag: 'Settings',
    summary: 'The shop settings',
    access: 'admin',
    responses: { 200: { description: 'The settings', schema: shopSettingsSchema } },
  },
  {
    method: 'patch',
    path: '/api/v1/settings',
    tag: 'Settings',
    summary: 'Change shop settings',
    description:
      'The fields given change. A new payment window applies to orders reserved from then on; ' +
      'an order awaiting payment keeps its deadline.',
    access: 'admin',
    body: shopSettingsPatchSchema,
    responses: { 200: { description: 'The settings', schema: shopSettingsSchema } },
  },

  // Sync (the catalog sync to Directus, for the admin app)
  {
    method: 'get',
    path: '/api/v1/admin/sync/stats',
    tag: 'Sync',
    summary: 'Catalog sync health',
    description: 'Outbox backlog and oldest age, deliveries of the last hour by status, open dead letters.',
    access: 'admin',
    responses: { 200: { description: 'The figures', schema: syncStatsSchema } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/sync/deliveries',
    tag: 'Sync',
    summary: 'The delivery log, newest first',
    description:
      'One entry per event per attempt: flow version, status, HTTP status, latency, error, request id.',
    access: 'admin',
    query: syncDeliveryListQuerySchema,
    responses: { 200: { description: 'A page of deliveries', schema: syncDeliveryPageSchema } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/sync/dead-letters',
    tag: 'Sync',
    summary: 'Dead-lettered events not replayed, newest first',
    access: 'admin',
    query: syncDeadLetterListQuerySchema,
    responses: { 200: { description: 'A page of dead letters', schema: syncDeadLetterPageSchema } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/sync/dead-letters/:id/replay',
    tag: 'Sync',
    summary: 'Send a dead-lettered event again',
    description:
      'The event (by its id) goes back to the outbox and is delivered again; if a newer version of its ' +
      'product exists by then, the delivery log shows it superseded. 409 when it was replayed already.',
    access: 'admin',
    responses: {
      202: { description: 'Queued again: the dead letter, replayedAt set', schema: syncDeadLetterSchema },
    },
    errors: ['conflict'],
  },
];

function readiness() {
  return z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ postgres: z.boolean(), redis: z.boolean() }),
  });
}

/** Routes served but not part of the API (assets of the reference page). */
export const undocumentedRoutes = ['get /api/v1/docs/scalar.js', 'get /api/v1/docs/init.js'];
