import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenService, type User } from '@lapak/core';
import {
  makeCategory,
  makeProduct,
  makeUser,
  optionProductBody,
  useTestEnv,
  checkoutBody,
  sampleShippingAddress,
} from '@lapak/core/testing';
import { useTestApi, type RequestOptions, type TestResponse } from '../testing/test-api';

/**
 * Bad input at every endpoint: each answer must be the contract's 4xx with the right code,
 * nothing may be written, and no input may ever produce a 5xx.
 */
const env = useTestEnv({ AUTH_RATE_LIMIT_PER_IP: '1000000', AUTH_RATE_LIMIT_PER_EMAIL: '1000000' });
const api = useTestApi(env);

let admin: string;
let customer: string;
let customerUser: User;
let product: { id: string };
let category: { id: string };

beforeAll(async () => {
  const em = env.orm.em.fork();
  const tokens = new TokenService(env.config.JWT_SECRET, 3600);
  admin = await tokens.issue(await makeUser(em, { role: 'admin' }));
  customerUser = await makeUser(em, { email: 'shopper@example.test', password: 'shopper password' });
  customer = await tokens.issue(customerUser);
  category = await makeCategory(em);
  product = await makeProduct(em, { categoryId: category.id });
});

/** Sends a request and fails the test on any 5xx, whatever else the caller checks. */
async function send(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const res = await api.request(method, path, options);
  expect(res.status, `${method} ${path} ${JSON.stringify(options).slice(0, 300)}`).toBeLessThan(500);
  return res;
}

async function expectError(
  method: string,
  path: string,
  options: RequestOptions,
  status: number,
  code: string,
): Promise<TestResponse> {
  const res = await send(method, path, options);
  const label = `${method} ${path} ${JSON.stringify(options).slice(0, 300)}`;
  expect(res.status, label).toBe(status);
  expect(res.body?.error?.code, label).toBe(code);
  expect(typeof res.body.error.message, label).toBe('string');
  return res;
}

/** Everything a write could touch: row counts, versions, outbox and queued jobs. */
async function snapshot() {
  const { rows } = await sql`
    select (select count(*)::int from users) as users,
           (select count(*)::int from categories) as categories,
           (select count(*)::int from products) as products,
           (select coalesce(sum(version), 0)::int from products) as product_versions,
           (select coalesce(sum(version), 0)::int from categories) as category_versions,
           (select count(*)::int from products where deleted_at is not null) as deleted_products,
           (select count(*)::int from orders) as orders,
           (select count(*)::int from order_lines) as order_lines,
           (select count(*)::int from idempotency_keys) as idempotency_keys,
           (select count(*)::int from outbox_events) as outbox,
           (select count(*)::int from payments) as payments,
           (select count(*)::int from payments where status = 'paid') as paid,
           (select updated_at from shop_settings) as settings_updated_at
  `.execute(env.db());
  const jobs = await api.deps.queues.orders.getJobCountByTypes(
    'waiting',
    'delayed',
    'active',
    'completed',
    'failed',
  );
  return { ...(rows[0] as object), jobs };
}

async function expectNothingWritten(work: () => Promise<void>) {
  const before = await snapshot();
  await work();
  expect(await snapshot()).toEqual(before);
}

const long = (n: number) => 'x'.repeat(n);

/** Mutations of a valid body that must each be refused with 400 naming `field`. */
function fieldMutations(base: Record<string, unknown>, specs: Record<string, unknown[]>) {
  const cases: Array<{ body: unknown; field: string }> = [];
  for (const [field, values] of Object.entries(specs)) {
    for (const value of values) cases.push({ body: { ...base, [field]: value }, field });
  }
  for (const field of Object.keys(specs)) {
    if (field in base) {
      const { [field]: _, ...rest } = base;
      cases.push({ body: rest, field });
    }
  }
  cases.push({ body: { ...base, isAdmin: true }, field: 'isAdmin' });
  cases.push({ body: { ...base, ['__proto__']: { role: 'admin' } }, field: '' });
  return cases;
}

const badStrings = [null, 42, true, [], {}, '', '   ', long(10_000), 'a\u0000b', 'bell\u0007', '\ud800 lone'];
const badInts = (min: number) => [null, '12', true, [], {}, min - 1, -1e9, 1.5, 0.1, 1e300, 2 ** 53 + 2];

const productBase = () => ({
  sku: `HOSTILE-${randomUUID().slice(0, 8)}`,
  name: 'Kopi',
  priceCents: 100,
  currency: 'EUR',
  stock: 1,
});
const productSpecs = {
  sku: [...badStrings, 'with space', "x'; drop table products;--", long(65)],
  name: badStrings,
  slug: [null, 42, 'Upper', 'two--dashes', '-lead', 'ünïcode', long(121)],
  priceCents: badInts(0),
  currency: [null, 'eur', 'EURO', 'E1R', 978, ''],
  stock: badInts(0),
  status: [null, 'live', 'PUBLISHED', 1],
  categoryId: [42, 'not-a-uuid', `${randomUUID()}' or '1'='1`, long(10_000)],
};

const variantSpecs = {
  sku: productSpecs.sku,
  optionValues: [null, 42, 'Size', true, []],
  priceCents: badInts(0),
  stock: badInts(0),
};
const productWithOptions = () =>
  optionProductBody('Size', [
    { value: 'S', priceCents: 100, stock: 1 },
    { value: 'M', priceCents: 100, stock: 1 },
  ]);

const malformedBodies = [
  '{',
  '{"sku":}',
  'nul',
  "{'sku':'x'}",
  '[1,2',
  '{"a":1}}',
  '\u00ff\u00fe{}',
  '['.repeat(200_000),
  '{"a":'.repeat(100_000),
];

describe('hostile input: bodies', () => {
  interface WriteEndpoint {
    method: string;
    path: string;
    token: string | undefined;
    base: Record<string, unknown>;
    specs: Record<string, unknown[]>;
  }
  const writeEndpoints = (): WriteEndpoint[] => [
    { method: 'POST', path: '/api/v1/products', token: admin, base: productBase(), specs: productSpecs },
    {
      method: 'PUT',
      path: `/api/v1/products/${product.id}`,
      token: admin,
      base: productBase(),
      specs: productSpecs,
    },
    {
      method: 'POST',
      path: '/api/v1/products',
      token: admin,
      base: productWithOptions(),
      specs: { options: [null, 42, 'Size', {}], variants: [null, 42, 'S', {}, []] },
    },
    {
      method: 'POST',
      path: `/api/v1/products/${product.id}/variants`,
      token: admin,
      base: { sku: `HOSTILE-${randomUUID().slice(0, 8)}`, optionValues: {}, priceCents: 100, stock: 1 },
      specs: variantSpecs,
    },
    {
      method: 'POST',
      path: '/api/v1/categories',
      token: admin,
      base: { name: 'Rempah' },
      specs: { name: badStrings, slug: [null, 'Bad Slug', long(121)], parentId: [42, 'nope', randomUUID()] },
    },
    {
      method: 'PUT',
      path: `/api/v1/categories/${category.id}`,
      token: admin,
      base: { name: 'Rempah' },
      specs: { name: badStrings, parentId: [42, 'nope', randomUUID(), category.id] },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/register',
      token: undefined,
      base: { email: `new-${randomUUID()}@example.test`, password: 'long enough password', name: 'N' },
      specs: {
        email: [...badStrings, 'no-at-sign', 'a@', '@b.c', "x'--@example.test OR 1=1", `${long(250)}@x.io`],
        password: [null, 42, [], 'short', long(257), '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800'],
        name: badStrings,
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/login',
      token: undefined,
      base: { email: 'shopper@example.test', password: 'shopper password' },
      specs: { email: [null, 42, '', 'nope', long(10_000)], password: [null, 42, '', long(257)] },
    },
  ];

  it('refuses every wrong, missing or unknown field of every write with 400 naming it, writing nothing', async () => {
    await expectNothingWritten(async () => {
      for (const endpoint of writeEndpoints()) {
        for (const { body, field } of fieldMutations(endpoint.base, endpoint.specs)) {
          const res = await expectError(
            endpoint.method,
            endpoint.path,
            { token: endpoint.token, body },
            400,
            'validation_failed',
          );
          if (field)
            expect(Object.keys(res.body.error.details ?? {}), `${endpoint.path} ${field}`).toContain(field);
        }
      }
    });
  });

  it('refuses patches that are empty, unknown or wrong', async () => {
    await expectNothingWritten(async () => {
      for (const path of [`/api/v1/products/${product.id}`, `/api/v1/categories/${category.id}`]) {
        for (const body of [
          {},
          { version: 99 },
          { id: randomUUID() },
          { name: null },
          { name: long(10_000) },
          [],
          'x',
          1,
        ]) {
          await expectError('PATCH', path, { token: admin, body }, 400, 'validation_failed');
        }
      }
      for (const body of [{ stock: -1 }, { priceCents: 1.5 }, { currency: 'eur' }, { status: 'gone' }]) {
        await expectError(
          'PATCH',
          `/api/v1/products/${product.id}`,
          { token: admin, body },
          400,
          'validation_failed',
        );
      }
    });
  });

  it('refuses malformed JSON, non-object bodies and empty bodies with 400', async () => {
    await expectNothingWritten(async () => {
      const targets = [
        ['POST', '/api/v1/products', admin],
        ['PATCH', `/api/v1/products/${product.id}`, admin],
        ['POST', '/api/v1/categories', admin],
        ['POST', '/api/v1/auth/register', undefined],
        ['POST', '/api/v1/auth/login', undefined],
        ['POST', '/api/v1/orders', customer],
      ] as const;
      for (const [method, path, token] of targets) {
        const headers = { 'idempotency-key': randomUUID() };
        for (const raw of malformedBodies)
          await expectError(method, path, { token, raw, headers }, 400, 'validation_failed');
        for (const body of [null, [], 'text', 42, true]) {
          await expectError(method, path, { token, body, headers }, 400, 'validation_failed');
        }
        await expectError(method, path, { token, headers }, 400, 'validation_failed');
      }
    });
  });

  it('refuses bodies over 1 MB with 413, with or without Content-Length', async () => {
    await expectNothingWritten(async () => {
      const huge = JSON.stringify({ ...productBase(), name: long(2 * 1024 * 1024) });
      await expectError('POST', '/api/v1/products', { token: admin, raw: huge }, 413, 'payload_too_large');
      await expectError('POST', '/api/v1/auth/register', { raw: huge }, 413, 'payload_too_large');

      const chunked = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = httpRequest(
          `${api.url}/api/v1/products`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${admin}`,
              'content-type': 'application/json',
              'transfer-encoding': 'chunked',
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 32; i++) req.write(`${i === 0 ? '{"name":"' : ''}${long(64 * 1024)}`);
        req.end('"}');
      });
      expect(chunked.status).toBe(413);
      expect(chunked.body.error.code).toBe('payload_too_large');
    });
  });

  it('refuses bodies that are not JSON with 415', async () => {
    await expectNothingWritten(async () => {
      const valid = JSON.stringify(productBase());
      const types = [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json; charset=latin1',
        '',
      ];
      for (const type of types) {
        await expectError(
          'POST',
          '/api/v1/products',
          { token: admin, raw: valid, headers: { 'content-type': type } },
          415,
          'unsupported_media_type',
        );
      }
      await expectError(
        'POST',
        '/api/v1/auth/login',
        { raw: 'email=a@b.c&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      );
    });
  });

  it('stores odd but valid Unicode and SQL-looking text exactly as sent', async () => {
    const names = [
      'قهوة عربية',
      'Kopi\u200dGayo\u200b',
      '☕️ Kopi 🇮🇩 👩🏽‍🍳',
      'Ünïcödé Ñame',
      '\u202eevil-rtl-override',
      "Robert'); DROP TABLE products;--",
      '1 OR 1=1; SELECT * FROM users',
    ];
    for (const name of names) {
      const res = await send('POST', '/api/v1/products', { token: admin, body: { ...productBase(), name } });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
      expect((await send('GET', `/api/v1/products/${res.body.id}`, { token: admin })).body.name).toBe(name);
    }
    const search = await send('GET', `/api/v1/products?q=${encodeURIComponent("' OR 1=1 --")}`, {
      token: admin,
    });
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from users`.execute(env.db());
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});

describe('hostile input: paths and query strings', () => {
  it('refuses bad ids in paths with 400, or 404 where no route matches', async () => {
    const ids = [
      'abc',
      "1' OR '1'='1",
      '%00',
      '%FF',
      '%ED%A0%80',
      long(10_000),
      '00000000-0000-0000-0000-00000000000g',
    ];
    for (const id of ids) {
      for (const path of [`/api/v1/products/${id}`, `/api/v1/categories/${id}`, `/api/v1/orders/${id}`]) {
        const res = await expectError('GET', path, { token: customer }, 400, 'validation_failed');
        expect(Object.keys(res.body.error.details), path).toEqual(['id']);
      }
      await expectError('GET', `/api/v1/orders/${id}/events`, { token: customer }, 400, 'validation_failed');
    }
    await expectError('GET', '/api/v1/products/../../etc/passwd', {}, 404, 'not_found');
    await expectError('GET', '/api/v1/nothing-here', {}, 404, 'not_found');
    await expectError('POST', '/api/v1/products/whatever/more', { token: admin, body: {} }, 404, 'not_found');
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    const queries: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=101', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1e400', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['cursor=!!!', 'cursor'],
      [`cursor=${Buffer.from('not-a-uuid').toString('base64url')}`, 'cursor'],
      [`cursor=${long(10_000)}`, 'cursor'],
      ['status=bogus', 'status'],
      ['categoryId=nope', 'categoryId'],
      [`q=${long(10_000)}`, 'q'],
      ['q=%00', 'q'],
      ['unknown=1', 'unknown'],
      ['status[]=draft', 'status[]'],
    ];
    for (const [query, field] of queries) {
      const res = await expectError('GET', `/api/v1/products?${query}`, {}, 400, 'validation_failed');
      expect(Object.keys(res.body.error.details), query).toContain(field);
    }
    for (const query of ['limit=0', 'status=shipped', 'cursor=***', 'from=yesterday']) {
      await expectError('GET', `/api/v1/orders?${query}`, { token: customer }, 400, 'validation_failed');
    }
    await expectError('GET', '/api/v1/categories?limit=1000', {}, 400, 'validation_failed');
    // Bytes that are not UTF-8 are not an error of ours to crash on.
    await send('GET', '/api/v1/products?q=%FF%FE');
    await send('GET', '/api/v1/products?q=%ED%A0%80');
  });
});

describe('hostile input: credentials', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sign = (payload: object, secret = env.config.JWT_SECRET, header: object = { alg: 'HS256' }) => {
    const unsigned = `${b64(header)}.${b64(payload)}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  };
  const now = () => Math.floor(Date.now() / 1000);

  const badTokens = () => ({
    forged: sign(
      { sub: customerUser.id, role: 'admin', iss: 'lapak', exp: now() + 600 },
      'another secret of 32 characters!!',
    ),
    expired: sign({
      sub: customerUser.id,
      role: 'customer',
      iss: 'lapak',
      iat: now() - 7200,
      exp: now() - 3600,
    }),
    algNone: `${b64({ alg: 'none' })}.${b64({ sub: customerUser.id, role: 'admin', iss: 'lapak', exp: now() + 600 })}.`,
    badRole: sign({ sub: customerUser.id, role: 'root', iss: 'lapak', exp: now() + 600 }),
    noSubject: sign({ role: 'admin', iss: 'lapak', exp: now() + 600 }),
    otherIssuer: sign({ sub: customerUser.id, role: 'admin', iss: 'someone', exp: now() + 600 }),
    garbage: 'not.a.token',
    huge: long(10_000),
  });

  const protectedRoutes = () =>
    [
      ['GET', '/api/v1/auth/me', undefined],
      ['GET', '/api/v1/orders', undefined],
      ['GET', `/api/v1/orders/${randomUUID()}`, undefined],
      ['POST', '/api/v1/orders', checkoutBody([{ productId: product.id, quantity: 1 }])],
      ['POST', '/api/v1/products', productBase()],
      ['PATCH', `/api/v1/products/${product.id}`, { stock: 0 }],
      ['DELETE', `/api/v1/products/${product.id}`, undefined],
      ['POST', '/api/v1/categories', { name: 'X' }],
      ['DELETE', `/api/v1/categories/${category.id}`, undefined],
      ['POST', `/api/v1/orders/${randomUUID()}/payment/confirm`, { amountCents: 1 }],
      ['GET', '/api/v1/settings', undefined],
      ['PATCH', '/api/v1/settings', { paymentTtlSeconds: 60 }],
    ] as const;

  it('answers 401 to a missing, forged, expired or malformed token, writing nothing', async () => {
    await expectNothingWritten(async () => {
      for (const [method, path, body] of protectedRoutes()) {
        const headers = { 'idempotency-key': randomUUID() };
        await expectError(method, path, { body, headers }, 401, 'unauthenticated');
        for (const [kind, token] of Object.entries(badTokens())) {
          const res = await expectError(method, path, { body, headers, token }, 401, 'unauthenticated');
          if (kind === 'expired') expect(res.body.error.message).toMatch(/expired/);
        }
        for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer a b', `bearer ${admin}x`]) {
          await expectError(
            method,
            path,
            { body, headers: { ...headers, authorization } },
            401,
            'unauthenticated',
          );
        }
      }
    });
  });

  it('answers 403 to a customer on every admin route, writing nothing', async () => {
    await expectNothingWritten(async () => {
      const adminRoutes = [
        ['POST', '/api/v1/products', productBase()],
        ['PUT', `/api/v1/products/${product.id}`, productBase()],
        ['PATCH', `/api/v1/products/${product.id}`, { stock: 0 }],
        ['DELETE', `/api/v1/products/${product.id}`, undefined],
        ['POST', '/api/v1/categories', { name: 'X' }],
        ['PUT', `/api/v1/categories/${category.id}`, { name: 'X' }],
        ['PATCH', `/api/v1/categories/${category.id}`, { name: 'X' }],
        ['DELETE', `/api/v1/categories/${category.id}`, undefined],
        ['POST', `/api/v1/orders/${randomUUID()}/payment/confirm`, { amountCents: 1 }],
        ['GET', '/api/v1/settings', undefined],
        ['PATCH', '/api/v1/settings', { paymentTtlSeconds: 60 }],
      ] as const;
      for (const [method, path, body] of adminRoutes) {
        await expectError(method, path, { body, token: customer }, 403, 'forbidden');
      }
    });
  });

  it("answers 404 to another user's order, and lets nobody see it through the list", async () => {
    const other = await makeUser(env.orm.em.fork());
    const otherToken = await new TokenService(env.config.JWT_SECRET, 3600).issue(other);
    const placed = await send('POST', '/api/v1/orders', {
      token: otherToken,
      body: checkoutBody([{ productId: product.id, quantity: 1 }]),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(placed.status).toBe(202);
    await expectNothingWritten(async () => {
      await expectError('GET', `/api/v1/orders/${placed.body.id}`, { token: customer }, 404, 'not_found');
      await expectError(
        'GET',
        `/api/v1/orders/${placed.body.id}/events`,
        { token: customer },
        404,
        'not_found',
      );
      const list = await send('GET', '/api/v1/orders?limit=100', { token: customer });
      expect(list.body.items.map((o: { id: string }) => o.id)).not.toContain(placed.body.id);
      // The same Idempotency-Key from another user is that user's own key, not a way in.
    });
  });
});

describe('hostile input: checkout', () => {
  it('refuses bad order lines and keys with 400 naming them, writing nothing', async () => {
    const line = { productId: product.id, quantity: 1 };
    const bodies: Array<[unknown, string]> = [
      [checkoutBody(null), 'items'],
      [checkoutBody('all'), 'items'],
      [checkoutBody({}), 'items'],
      [checkoutBody([]), 'items'],
      [checkoutBody(Array.from({ length: 101 }, () => ({ productId: randomUUID(), quantity: 1 }))), 'items'],
      [checkoutBody([null]), 'items.0'],
      [checkoutBody([{ ...line, quantity: 0 }]), 'items.0.quantity'],
      [checkoutBody([{ ...line, quantity: -1 }]), 'items.0.quantity'],
      [checkoutBody([{ ...line, quantity: 1.5 }]), 'items.0.quantity'],
      [checkoutBody([{ ...line, quantity: 1001 }]), 'items.0.quantity'],
      [checkoutBody([{ ...line, quantity: 1e300 }]), 'items.0.quantity'],
      [checkoutBody([{ ...line, quantity: '1' }]), 'items.0.quantity'],
      [checkoutBody([{ productId: "x' OR 1=1 --", quantity: 1 }]), 'items.0.productId'],
      [checkoutBody([{ productId: randomUUID(), quantity: 1 }]), 'items.0.productId'],
      [checkoutBody([{ quantity: 1 }]), 'items.0.productId'],
      [checkoutBody([{ ...line, price: 0 }]), 'items.0.price'],
      [{ ...checkoutBody([line]), totalCents: 0 }, 'totalCents'],
      [checkoutBody([line, line]), 'items.1.productId'],
      [{ items: [line] }, 'shippingAddress'],
      [{ ...checkoutBody([line]), paymentMethod: 'card' }, 'paymentMethod'],
      [{ ...checkoutBody([line]), paymentMethod: undefined }, 'paymentMethod'],
      [{ ...checkoutBody([line]), shippingAddress: 'Jl. Malioboro' }, 'shippingAddress'],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, country: 'Indonesia' } },
        'shippingAddress.country',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, country: 'XX' } },
        'shippingAddress.country',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, name: long(101) } },
        'shippingAddress.name',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, line1: 'a\u0000b' } },
        'shippingAddress.line1',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, phone: "1' OR 1=1" } },
        'shippingAddress.phone',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, postalCode: '' } },
        'shippingAddress.postalCode',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, city: undefined } },
        'shippingAddress.city',
      ],
      [
        { ...checkoutBody([line]), shippingAddress: { ...sampleShippingAddress, floor: 3 } },
        'shippingAddress.floor',
      ],
    ];
    await expectNothingWritten(async () => {
      for (const [body, field] of bodies) {
        const res = await expectError(
          'POST',
          '/api/v1/orders',
          { token: customer, body, headers: { 'idempotency-key': randomUUID() } },
          400,
          'validation_failed',
        );
        expect(Object.keys(res.body.error.details), JSON.stringify(body).slice(0, 200)).toContain(field);
      }
      for (const key of [long(256), 'tab\there', 'clé']) {
        await expectError(
          'POST',
          '/api/v1/orders',
          { token: customer, body: checkoutBody([line]), headers: { 'idempotency-key': key } },
          400,
          'validation_failed',
        );
      }
    });
  });
});
