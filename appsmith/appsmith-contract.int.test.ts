/**
 * The admin app against the real API: every query in appsmith/lapak-admin.json must be an
 * operation of the API's OpenAPI document (method, path, query parameters, body fields) and
 * must be open to the admin token the app's datasource carries. An API change that would break
 * the admin app fails here. The flows that change orders' payments and the shop settings also run
 * end to end: the app's own bindings fill the forms from real answers, send the requests and say
 * what the API answered.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OrderProcessingService } from '@lapak/core';
import { makeOrder, makeProduct, makeUser, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../api/src/testing/test-api';
import { exportFile } from './src/export-file';
import { responseReads } from './src/binding-check';
import { propertyValue, requestOf, type Scope } from './src/binding-eval';
import {
  bindingsIn,
  findSecrets,
  readQueries,
  readWidgets,
  replaceBindings,
  valueAt,
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

/** The query `name` of `page`. */
function queryOf(page: string, name: string): ExportedQuery {
  const query = queries.find((candidate) => candidate.page === page && candidate.name === name);
  expect(query, `${page} › ${name}`).toBeDefined();
  return query!;
}

/** A widget property (`text`, `defaultText`, `tableData`, `isDisabled`, …) as the page shows it in `scope`. */
function shown(page: string, widgetName: string, property: string, scope: Scope): unknown {
  const found = readWidgets(exported).find((w) => w.page === page && w.widget.widgetName === widgetName);
  expect(found, `${page} › ${widgetName}`).toBeDefined();
  return propertyValue(String(valueAt(found!.widget, property)), scope);
}

/** Sends what `query` sends in `scope`, with the admin token. */
function send(query: ExportedQuery, scope: Scope) {
  const request = requestOf(query, scope);
  return api.request(query.method, basePath + request.path, { token: ADMIN_API_TOKEN, body: request.body });
}

/**
 * Clicks `button`, whose action runs `query`: the query's request goes to the real API, and the
 * action's alerts (`success: …` or `error: …`) are what the admin reads. The other queries of
 * the page it reloads answer nothing.
 */
async function click(page: string, button: string, query: ExportedQuery, scope: Scope) {
  const response = await send(query, scope);
  const alerts: string[] = [];
  const reloads = Object.fromEntries(
    queries.filter((q) => q.page === page).map((q) => [q.name, { run: () => Promise.resolve() }]),
  );
  const ran = {
    // Appsmith keeps the answer in `data` whether the request succeeded or not.
    data: response.body,
    run: () =>
      response.status < 400
        ? Promise.resolve(response.body)
        : Promise.reject(new Error(`${response.status}`)),
  };
  await shown(page, button, 'onClick', {
    ...scope,
    ...reloads,
    [query.name]: ran,
    showAlert: (message: string, kind: string) => alerts.push(`${kind}: ${message}`),
    closeModal: () => Promise.resolve(),
  });
  return { response, alerts };
}

/** A bank-transfer order the worker reserved stock for: 2 × 2500 IDR, awaiting payment. */
async function orderAwaitingPayment(): Promise<string> {
  const em = env.orm.em.fork();
  const product = await makeProduct(em, { stock: 10, priceCents: 2500, currency: 'IDR' });
  const order = await makeOrder(em, {
    user: await makeUser(em),
    paymentMethod: 'bank_transfer',
    lines: [{ product, quantity: 2 }],
  });
  await new OrderProcessingService(env.orm.em.fork()).decide([order.id]);
  return order.id;
}

type OrderRow = Record<string, unknown> & { id: string };

/** The rows of the orders table as the page loads them with the status filter on `status`. */
async function orderRows(status: string): Promise<OrderRow[]> {
  const list = await send(queryOf('Orders', 'listOrders'), {
    OrderStatusFilter: { selectedOptionValue: status },
    OrdersFrom: { selectedDate: '' },
    OrdersTo: { selectedDate: '' },
    appsmith: { store: {} },
  });
  expect(list.status, list.text).toBe(200);
  return shown('Orders', 'OrdersTable', 'tableData', { listOrders: { data: list.body } }) as OrderRow[];
}

/** The Mark paid form as it opens on `row`: amount and reference filled in from the order's payment. */
function markPaidForm(row: OrderRow) {
  const table = { OrdersTable: { selectedRow: row } };
  return {
    ...table,
    PaidAmount: { text: shown('Orders', 'PaidAmount', 'defaultText', table) },
    PaidReference: { text: shown('Orders', 'PaidReference', 'defaultText', table) },
  };
}

describe('the admin app’s payment and settings flows on the real API', () => {
  it('Orders: an order awaiting payment shows its payment and address, and Mark paid confirms it', async () => {
    const id = await orderAwaitingPayment();
    const row = (await orderRows('awaiting_payment')).find((candidate) => candidate.id === id)!;
    expect(row).toMatchObject({
      status: 'awaiting_payment',
      paymentMethod: 'bank_transfer',
      paymentStatus: 'pending',
      paymentReference: expect.stringMatching(/^LP-/),
      paymentAmount: 5000,
      dueAt: expect.any(String),
    });
    const table = { OrdersTable: { selectedRow: row } };
    expect(shown('Orders', 'MarkPaidButton', 'isDisabled', table)).toBe(false);
    expect(shown('Orders', 'CancelOrderButton', 'isDisabled', table)).toBe(false);

    const detail = await send(queryOf('Orders', 'getOrder'), table);
    expect(detail.status, detail.text).toBe(200);
    const getOrder = { getOrder: { data: detail.body } };
    expect(String(shown('Orders', 'OrderPaymentSummary', 'text', getOrder)).split('\n')).toEqual([
      'Payment: bank_transfer, pending',
      `Reference: ${String(row.paymentReference)}`,
      'Amount: 5000 IDR (minor units)',
      `Pay by: ${String(row.dueAt)}`,
    ]);
    expect(String(shown('Orders', 'OrderShippingAddress', 'text', getOrder)).split('\n')).toEqual([
      'Ship to: Siti Rahma, +62 812-3456-7890',
      'Jl. Malioboro 12',
      '55271 Yogyakarta',
      'DI Yogyakarta',
      'ID',
    ]);

    const form = markPaidForm(row);
    expect(form.PaidAmount.text).toBe(5000);
    const paid = await click('Orders', 'PaymentSave', queryOf('Orders', 'confirmPayment'), form);
    expect(paid.response.status, paid.response.text).toBe(200);
    expect(paid.response.body).toMatchObject({ id, status: 'confirmed', payment: { status: 'paid' } });
    expect(paid.alerts).toEqual(['success: Payment recorded: the order is confirmed']);

    // Paid now: the button is off for it, and paying it again is refused with the API's reason.
    const after = (await orderRows('confirmed')).find((candidate) => candidate.id === id)!;
    expect(shown('Orders', 'MarkPaidButton', 'isDisabled', { OrdersTable: { selectedRow: after } })).toBe(
      true,
    );
    const again = await click('Orders', 'PaymentSave', queryOf('Orders', 'confirmPayment'), form);
    expect(again.response.status).toBe(409);
    expect(again.alerts).toEqual([
      `error: Could not mark the order paid: ${again.response.body.error.message as string}`,
    ]);
    expect(again.alerts[0]).toMatch(/only an order awaiting payment can be paid/);
  });

  it('Orders: Mark paid with another amount or no reference says why the API refused, and changes nothing', async () => {
    const id = await orderAwaitingPayment();
    const row = (await orderRows('awaiting_payment')).find((candidate) => candidate.id === id)!;
    const form = markPaidForm(row);
    const confirm = queryOf('Orders', 'confirmPayment');

    const short = await click('Orders', 'PaymentSave', confirm, { ...form, PaidAmount: { text: '4999' } });
    expect(short.response.status).toBe(422);
    expect(short.response.body.error.code).toBe('payment_amount_mismatch');
    expect(short.alerts).toEqual([
      `error: Could not mark the order paid: ${short.response.body.error.message as string}`,
    ]);

    const unreferenced = await click('Orders', 'PaymentSave', confirm, {
      ...form,
      PaidReference: { text: '' },
    });
    expect(unreferenced.response.status).toBe(400);
    expect(unreferenced.alerts).toEqual([
      'error: Could not mark the order paid: The request body is not valid (reference must not be empty)',
    ]);

    const order = await send(queryOf('Orders', 'getOrder'), { OrdersTable: { selectedRow: row } });
    expect(order.body).toMatchObject({ status: 'awaiting_payment', payment: { status: 'pending' } });
  });

  it('Settings: the form starts from GET /settings, saves it unchanged, and sends hours and minutes as seconds', async () => {
    const page = 'Settings';
    const save = queryOf(page, 'updateSettings');
    const fields = [
      'ShopName',
      'PaymentWindowHours',
      'PaymentWindowMinutes',
      'BankName',
      'BankAccountNumber',
      'BankAccountHolder',
      'MaxOpenOrdersPerUser',
      'MaxUnitsPerLine',
    ];
    const formFrom = (settings: unknown) =>
      Object.fromEntries(
        fields.map((name) => [
          name,
          { text: shown(page, name, 'defaultText', { getSettings: { data: settings } }) },
        ]),
      );
    const load = async () => {
      const response = await send(queryOf(page, 'getSettings'), {});
      expect(response.status, response.text).toBe(200);
      return response.body as Record<string, unknown>;
    };
    const withoutTime = ({ updatedAt: _updatedAt, ...rest }: Record<string, unknown>) => rest;

    const before = await load();
    const unchanged = await click(page, 'SaveSettings', save, formFrom(before));
    expect(unchanged.response.status, unchanged.response.text).toBe(200);
    expect(withoutTime(unchanged.response.body)).toEqual(withoutTime(before));
    expect(unchanged.alerts).toEqual(['success: Settings saved']);

    const longer = await click(page, 'SaveSettings', save, {
      ...formFrom(before),
      PaymentWindowHours: { text: 2 },
      PaymentWindowMinutes: { text: 30 },
      MaxUnitsPerLine: { text: 30 },
    });
    expect(longer.response.body).toMatchObject({ paymentTtlSeconds: 9000, maxUnitsPerLine: 30 });

    // A window of seconds the API holds (a short one set for a test) shows as a fraction of a
    // minute and saves back to the same seconds.
    await send(save, {
      ...formFrom(before),
      PaymentWindowHours: { text: 0 },
      PaymentWindowMinutes: { text: 0.75 },
    });
    const odd = await load();
    expect(odd.paymentTtlSeconds).toBe(45);
    const oddAgain = await click(page, 'SaveSettings', save, formFrom(odd));
    expect(oddAgain.response.body).toMatchObject({ paymentTtlSeconds: 45 });

    const none = await click(page, 'SaveSettings', save, {
      ...formFrom(before),
      PaymentWindowHours: { text: '' },
      PaymentWindowMinutes: { text: '' },
    });
    expect(none.response.status).toBe(400);
    expect(none.alerts).toEqual([
      'error: Could not save the settings: The request body is not valid (paymentTtlSeconds must be at least 10)',
    ]);

    const restored = await click(page, 'SaveSettings', save, formFrom(before));
    expect(withoutTime(restored.response.body)).toEqual(withoutTime(before));
  });
});
