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
import { exampleShippingAddress } from '@lapak/contracts';
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
    expect(shown('Orders', 'OrderLinesTable', 'tableData', getOrder)).toEqual([
      expect.objectContaining({ sku: expect.any(String), unitPriceCents: 2500, quantity: 2 }),
    ]);
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
      'LowStockThreshold',
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
      LowStockThreshold: { text: 3 },
    });
    expect(longer.response.body).toMatchObject({
      paymentTtlSeconds: 9000,
      maxUnitsPerLine: 30,
      lowStockThreshold: 3,
    });

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

type Variant = {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number;
  stock: number;
};
type VariantRow = Record<string, unknown> & { id: string; sku: string };

describe('the admin app’s product options and variants on the real API', () => {
  const page = 'Products';
  const creating = { appsmith: { store: { productFormMode: 'create' } } };

  /** The product form as an admin fills it in to create a product. */
  const newProductForm = (sku: string, options: string) => ({
    ...creating,
    ProductSku: { text: sku },
    ProductName: { text: 'Kopi Toraja' },
    ProductPrice: { text: '11000000' },
    ProductCurrency: { text: 'IDR' },
    ProductStock: { text: '4' },
    ProductStatus: { selectedOptionValue: 'draft' },
    ProductCategory: { selectedOptionValue: '' },
    ProductOptions: { text: options },
  });

  /** The products table's row of `sku`, as the page lists it when searched for. */
  async function productRow(sku: string): Promise<Record<string, unknown> & { id: string }> {
    const list = await send(queryOf(page, 'listProducts'), {
      ProductSearch: { text: sku },
      ProductStatusFilter: { selectedOptionValue: '' },
      ProductCategoryFilter: { selectedOptionValue: '' },
      appsmith: { store: {} },
    });
    expect(list.status, list.text).toBe(200);
    const rows = shown(page, 'ProductsTable', 'tableData', {
      listProducts: { data: list.body },
      listProductCategories: { data: { items: [] } },
    }) as {
      id: string;
      sku: string;
    }[];
    return rows.find((candidate) => candidate.sku === sku)!;
  }

  /** The Variants modal opened on `row`: getProduct's answer and the variants table's rows. */
  async function openVariants(row: Record<string, unknown>) {
    const product = await send(queryOf(page, 'getProduct'), { ProductsTable: { selectedRow: row } });
    expect(product.status, product.text).toBe(200);
    const getProduct = { data: product.body };
    const rows = shown(page, 'VariantsTable', 'tableData', { getProduct }) as VariantRow[];
    return { getProduct, rows };
  }

  /** The variant form as it opens on the selected row (`variant`, or none for a new one). */
  function variantForm(row: Record<string, unknown>, getProduct: unknown, variant: VariantRow | undefined) {
    const scope = {
      ProductsTable: { selectedRow: row },
      getProduct,
      VariantsTable: { selectedRow: variant ?? {} },
    };
    const choice = (name: string) => ({
      selectedOptionValue: shown(page, name, 'defaultOptionValue', scope),
      label: shown(page, name, 'labelText', scope),
      visible: shown(page, name, 'isVisible', scope),
    });
    return {
      ...scope,
      VariantSku: { text: shown(page, 'VariantSku', 'defaultText', scope) },
      VariantPrice: { text: shown(page, 'VariantPrice', 'defaultText', scope) },
      VariantStock: { text: shown(page, 'VariantStock', 'defaultText', scope) },
      VariantOption1: choice('VariantOption1'),
      VariantOption2: choice('VariantOption2'),
      VariantOption3: choice('VariantOption3'),
    };
  }

  it('Products: options make every combination a variant, and Variants adds, changes and removes them', async () => {
    const sku = `KOPI-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await click(
      page,
      'ProductSave',
      queryOf(page, 'createProductWithVariants'),
      newProductForm(sku, 'Weight: 250 g, 1 kg'),
    );
    expect(created.response.status, created.response.text).toBe(201);
    expect(created.alerts).toEqual(['success: Product saved']);
    expect(created.response.body).toMatchObject({
      options: [{ name: 'Weight', values: ['250 g', '1 kg'] }],
      priceCents: 11_000_000,
      stock: 8,
    });
    expect(
      (created.response.body.variants as Variant[]).map((v) => [
        v.sku,
        v.optionValues,
        v.priceCents,
        v.stock,
      ]),
    ).toEqual([
      [`${sku}-250G`, { Weight: '250 g' }, 11_000_000, 4],
      [`${sku}-1KG`, { Weight: '1 kg' }, 11_000_000, 4],
    ]);

    const row = await productRow(sku);
    expect(row).toMatchObject({ options: 'Weight: 250 g, 1 kg', variants: 2, stock: 8 });
    const selected = { ProductsTable: { selectedRow: row } };
    expect(shown(page, 'SetStockButton', 'isDisabled', selected)).toBe(true);
    expect(shown(page, 'VariantsButton', 'isDisabled', selected)).toBe(false);

    // The Variants modal: one row per variant, the form on the selected one, a choice per option.
    const opened = await openVariants(row);
    expect(opened.rows.map((v) => [v.sku, v.values, v.priceCents, v.stock])).toEqual([
      [`${sku}-250G`, 'Weight: 250 g', 11_000_000, 4],
      [`${sku}-1KG`, 'Weight: 1 kg', 11_000_000, 4],
    ]);
    const kilo = opened.rows[1]!;
    const kiloForm = variantForm(row, opened.getProduct, kilo);
    expect(kiloForm.VariantSku.text).toBe(`${sku}-1KG`);
    expect(kiloForm.VariantOption1).toEqual({ selectedOptionValue: '1 kg', label: 'Weight', visible: true });
    expect(kiloForm.VariantOption2.visible).toBe(false);
    expect(shown(page, 'VariantOption1', 'options', { getProduct: opened.getProduct })).toEqual([
      { label: '250 g', value: '250 g' },
      { label: '1 kg', value: '1 kg' },
    ]);

    const changed = await click(page, 'SaveVariant', queryOf(page, 'updateVariant'), {
      ...kiloForm,
      VariantPrice: { text: '39000000' },
      VariantStock: { text: '0' },
    });
    expect(changed.response.status, changed.response.text).toBe(200);
    expect(changed.alerts).toEqual(['success: Variant saved']);
    expect((changed.response.body.variants as Variant[]).find((v) => v.id === kilo.id)).toMatchObject({
      priceCents: 39_000_000,
      stock: 0,
    });

    // A new option value, then a variant with it.
    const editing = { appsmith: { store: { productFormMode: 'edit' } }, ProductsTable: { selectedRow: row } };
    const productForm = Object.fromEntries(
      ['ProductSku', 'ProductName', 'ProductCurrency', 'ProductOptions'].map((name) => [
        name,
        { text: shown(page, name, 'defaultText', editing) },
      ]),
    );
    expect(productForm.ProductOptions!.text).toBe('Weight: 250 g, 1 kg');
    expect(shown(page, 'ProductPrice', 'isVisible', editing)).toBe(false);
    const edit = {
      ...editing,
      ...productForm,
      ProductStatus: { selectedOptionValue: 'published' },
      ProductCategory: { selectedOptionValue: '' },
    };
    const widened = await click(page, 'ProductSave', queryOf(page, 'updateProductWithOptions'), {
      ...edit,
      ProductOptions: { text: 'Weight: 250 g, 500 g, 1 kg' },
    });
    expect(widened.response.status, widened.response.text).toBe(200);
    expect(widened.response.body).toMatchObject({
      status: 'published',
      options: [{ name: 'Weight', values: ['250 g', '500 g', '1 kg'] }],
    });

    const reopened = await openVariants(await productRow(sku));
    const blank = variantForm(row, reopened.getProduct, undefined);
    expect(blank.VariantSku.text).toBe('');
    const added = await click(page, 'AddVariant', queryOf(page, 'addVariant'), {
      ...blank,
      VariantSku: { text: `${sku}-500G` },
      VariantPrice: { text: '20500000' },
      VariantStock: { text: '2' },
      VariantOption1: { selectedOptionValue: '500 g' },
    });
    expect(added.response.status, added.response.text).toBe(201);
    expect(added.alerts).toEqual(['success: Variant added']);
    expect((added.response.body.variants as Variant[]).map((v) => v.optionValues.Weight)).toEqual([
      '250 g',
      '1 kg',
      '500 g',
    ]);

    // The same values again: the API's reason, in the alert.
    const twice = await click(page, 'AddVariant', queryOf(page, 'addVariant'), {
      ...blank,
      VariantSku: { text: `${sku}-500G-B` },
      VariantPrice: { text: '1' },
      VariantStock: { text: '1' },
      VariantOption1: { selectedOptionValue: '500 g' },
    });
    expect(twice.response.status).toBeGreaterThanOrEqual(400);
    expect(twice.alerts).toEqual([expect.stringMatching(/^error: Could not add the variant: ./)]);

    // A value a variant still has cannot leave the options; once its variant is gone, it can.
    const narrowed = await click(page, 'ProductSave', queryOf(page, 'updateProductWithOptions'), {
      ...edit,
      ProductOptions: { text: 'Weight: 500 g, 1 kg' },
    });
    expect(narrowed.response.status).toBe(400);
    expect(narrowed.alerts[0]).toMatch(new RegExp(`^error: Could not save the product: .*${sku}-250G`));

    const quarter = (await openVariants(await productRow(sku))).rows.find((v) => v.sku === `${sku}-250G`)!;
    const removed = await click(page, 'RemoveVariant', queryOf(page, 'deleteVariant'), {
      ProductsTable: { selectedRow: row },
      VariantsTable: { selectedRow: quarter },
    });
    expect(removed.response.status, removed.response.text).toBe(200);
    expect(removed.alerts).toEqual(['success: Variant removed']);
    const narrowedNow = await click(page, 'ProductSave', queryOf(page, 'updateProductWithOptions'), {
      ...edit,
      ProductOptions: { text: 'Weight: 500 g, 1 kg' },
    });
    expect(narrowedNow.response.status, narrowedNow.response.text).toBe(200);
    expect(await productRow(sku)).toMatchObject({ options: 'Weight: 500 g, 1 kg', variants: 2, stock: 2 });

    // A shopper orders the 500 g bag: the Orders page names the variant on its line.
    const halfKilo = (await openVariants(row)).rows.find((v) => v.sku === `${sku}-500G`)!;
    const shopper = await api.request('POST', '/api/v1/auth/register', {
      body: { email: `${sku.toLowerCase()}@example.com`, password: 'a long enough password', name: 'Siti' },
    });
    expect(shopper.status, shopper.text).toBe(201);
    const placed = await api.request('POST', '/api/v1/orders', {
      token: shopper.body.token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: {
        items: [{ productId: row.id, variantId: halfKilo.id, quantity: 1 }],
        shippingAddress: exampleShippingAddress,
        paymentMethod: 'cash_on_delivery',
      },
    });
    expect(placed.status, placed.text).toBe(202);
    const detail = await send(queryOf('Orders', 'getOrder'), {
      OrdersTable: { selectedRow: { id: placed.body.id } },
    });
    expect(shown('Orders', 'OrderLinesTable', 'tableData', { getOrder: { data: detail.body } })).toEqual([
      expect.objectContaining({
        sku: `${sku}-500G`,
        values: 'Weight: 500 g',
        variantId: halfKilo.id,
        quantity: 1,
      }),
    ]);
  });

  it('Products: a product without options is made as before, and Variants shows its one variant', async () => {
    const sku = `MUG-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await click(page, 'ProductSave', queryOf(page, 'createProduct'), newProductForm(sku, ''));
    expect(created.response.status, created.response.text).toBe(201);
    const row = await productRow(sku);
    expect(row).toMatchObject({ options: '', variants: 1, stock: 4 });
    expect(shown(page, 'SetStockButton', 'isDisabled', { ProductsTable: { selectedRow: row } })).toBe(false);
    const editing = { appsmith: { store: { productFormMode: 'edit' } }, ProductsTable: { selectedRow: row } };
    expect(shown(page, 'ProductOptions', 'isVisible', editing)).toBe(false);
    expect(shown(page, 'ProductPrice', 'isVisible', editing)).toBe(true);

    const { rows, getProduct } = await openVariants(row);
    expect(rows.map((v) => [v.sku, v.values, v.stock])).toEqual([[sku, '', 4]]);
    const form = variantForm(row, getProduct, rows[0]);
    expect(form.VariantOption1.visible).toBe(false);
    expect(shown(page, 'VariantOptionsSummary', 'text', { getProduct })).toBe(
      'Options: none (the product is its one variant)',
    );
    const restocked = await click(page, 'SaveVariant', queryOf(page, 'updateVariant'), {
      ...form,
      VariantStock: { text: '9' },
    });
    expect(restocked.response.status, restocked.response.text).toBe(200);
    expect(restocked.response.body).toMatchObject({
      stock: 9,
      variants: [{ sku, optionValues: {}, stock: 9 }],
    });
  });
});
