import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Product } from '@lapak/contracts';
import { OrderProcessingService } from '@lapak/core';
import { checkoutBody, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

const { adminToken, customerToken } = userTokens(env);

/** Coffee by weight: two options, three variants. */
const coffeeBody = (overrides: Record<string, unknown> = {}) => {
  const sku = `KOPI-${randomUUID().slice(0, 8)}`;
  return {
    sku,
    name: `Kopi Toraja ${sku}`,
    currency: 'IDR',
    status: 'published',
    options: [
      { name: 'Weight', values: ['250 g', '1 kg'] },
      { name: 'Grind', values: ['Beans', 'Ground'] },
    ],
    variants: [
      { sku: `${sku}-250-B`, optionValues: { Weight: '250 g', Grind: 'Beans' }, priceCents: 6000, stock: 5 },
      { sku: `${sku}-250-G`, optionValues: { Weight: '250 g', Grind: 'Ground' }, priceCents: 6500, stock: 0 },
      { sku: `${sku}-1K-B`, optionValues: { Weight: '1 kg', Grind: 'Beans' }, priceCents: 21000, stock: 2 },
    ],
    ...overrides,
  };
};

/** The counts of everything a product write touches. */
async function counts() {
  const { rows } = await sql<{ products: number; variants: number; outbox: number }>`
    select (select count(*)::int from products) as products,
           (select count(*)::int from product_variants) as variants,
           (select count(*)::int from outbox_events) as outbox
  `.execute(env.db());
  return rows[0]!;
}

async function lastEvent(productId: string) {
  const { rows } = await sql<{ aggregate_version: number; payload: Record<string, any> }>`
    select aggregate_version, payload from outbox_events
     where aggregate_id = ${productId} and type = 'product.upserted' order by seq desc limit 1
  `.execute(env.db());
  return rows[0]!;
}

async function createCoffee(token: string, overrides: Record<string, unknown> = {}): Promise<Product> {
  const res = await api.request('POST', '/api/v1/products', { token, body: coffeeBody(overrides) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Product;
}

/** Option values as one key, whatever order their keys come in (jsonb sorts them). */
const valuesKey = (values: Record<string, string>) => JSON.stringify(Object.entries(values).sort());
const byValues = (product: Product, values: Record<string, string>) =>
  product.variants.find((v) => valuesKey(v.optionValues) === valuesKey(values))!;

/** An error body as plain text: its message and each detail. */
const errorText = (error: { message: string; details?: Record<string, string> }) =>
  [error.message, ...Object.entries(error.details ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n');

describe('variants: writes', () => {
  it('creates a product with options and variants: totals from the variants, one event with them', async () => {
    const token = await adminToken();
    const body = coffeeBody();
    const res = await api.request('POST', '/api/v1/products', { token, body });
    expect(res.status).toBe(201);
    const product = res.body as Product;
    expect(product).toMatchObject({
      sku: body.sku,
      options: body.options,
      priceCents: 6000,
      stock: 7,
      version: 1,
    });
    expect(product.variants.map(({ id: _, ...v }) => v)).toEqual(
      body.variants.map((v) => ({ ...v, version: 1 })),
    );

    const event = await lastEvent(product.id);
    expect(event.aggregate_version).toBe(1);
    expect(event.payload.options).toEqual(body.options);
    expect(event.payload.variants).toEqual(product.variants.map((v, sort) => ({ ...v, sort })));
    expect((await api.request('GET', `/api/v1/products/${product.id}`)).body).toEqual(product);
  });

  it('adds, changes and removes variants, each one version and one event', async () => {
    const token = await adminToken();
    const product = await createCoffee(token);

    const added = await api.request('POST', `/api/v1/products/${product.id}/variants`, {
      token,
      body: {
        sku: `${product.sku}-1K-G`,
        optionValues: { Grind: 'Ground', Weight: '1 kg' },
        priceCents: 22000,
        stock: 4,
      },
    });
    expect(added.status).toBe(201);
    expect(added.body.version).toBe(2);
    expect(added.body.stock).toBe(11);
    expect(added.body.variants).toHaveLength(4);
    expect(byValues(added.body, { Grind: 'Ground', Weight: '1 kg' }).version).toBe(2);

    const cheap = byValues(added.body, { Weight: '250 g', Grind: 'Beans' });
    const changed = await api.request('PATCH', `/api/v1/products/${product.id}/variants/${cheap.id}`, {
      token,
      body: { priceCents: 5500, stock: 9 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 3, priceCents: 5500, stock: 15 });
    expect(byValues(changed.body, { Weight: '250 g', Grind: 'Beans' })).toMatchObject({
      id: cheap.id,
      priceCents: 5500,
      stock: 9,
      version: 3,
    });
    // Untouched variants keep the version they last changed at.
    expect(byValues(changed.body, { Weight: '1 kg', Grind: 'Beans' }).version).toBe(1);

    const removed = await api.request('DELETE', `/api/v1/products/${product.id}/variants/${cheap.id}`, {
      token,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: 4, priceCents: 6500, stock: 6 });
    expect(removed.body.variants.map((v: { id: string }) => v.id)).not.toContain(cheap.id);

    const event = await lastEvent(product.id);
    expect(event.aggregate_version).toBe(4);
    expect(event.payload.variants.map((v: { id: string }) => v.id)).toEqual(
      removed.body.variants.map((v: { id: string }) => v.id),
    );
    // A removed variant's sku is free again.
    const again = await api.request('POST', `/api/v1/products/${product.id}/variants`, {
      token,
      body: { sku: cheap.sku, optionValues: cheap.optionValues, priceCents: 6000, stock: 1 },
    });
    expect(again.status).toBe(201);
  });

  it('replaces the variant set: same values keep their id, others come and go', async () => {
    const token = await adminToken();
    const product = await createCoffee(token);
    const kept = byValues(product, { Weight: '1 kg', Grind: 'Beans' });
    const body = coffeeBody({
      sku: product.sku,
      name: product.name,
      options: [{ name: 'Weight', values: ['1 kg', '2 kg'] }, product.options[1]],
    });
    body.variants = [
      { sku: kept.sku, optionValues: { Weight: '1 kg', Grind: 'Beans' }, priceCents: 20000, stock: 3 },
      {
        sku: `${product.sku}-2K-B`,
        optionValues: { Weight: '2 kg', Grind: 'Beans' },
        priceCents: 38000,
        stock: 1,
      },
    ];
    const res = await api.request('PUT', `/api/v1/products/${product.id}`, { token, body });
    expect(res.status).toBe(200);
    expect(res.body.variants).toHaveLength(2);
    expect(byValues(res.body, { Weight: '1 kg', Grind: 'Beans' })).toMatchObject({ id: kept.id, stock: 3 });
    expect(res.body).toMatchObject({ version: 2, stock: 4, priceCents: 20000 });
  });

  it('keeps a product without options at one variant that follows its sku, price and stock', async () => {
    const token = await adminToken();
    const created = await api.request('POST', '/api/v1/products', {
      token,
      body: {
        sku: `TEH-${randomUUID().slice(0, 8)}`,
        name: 'Teh Tarik',
        priceCents: 1500,
        currency: 'IDR',
        stock: 4,
      },
    });
    const [variant] = created.body.variants;
    const patched = await api.request('PATCH', `/api/v1/products/${created.body.id}`, {
      token,
      body: { stock: 9, priceCents: 1750 },
    });
    expect(patched.body.variants).toEqual([{ ...variant, stock: 9, priceCents: 1750, version: 2 }]);

    const before = await counts();
    const adding = await api.request('POST', `/api/v1/products/${created.body.id}/variants`, {
      token,
      body: { sku: `${created.body.sku}-B`, optionValues: {}, priceCents: 1, stock: 1 },
    });
    expect(adding.status).toBe(409);
    expect(adding.body.error.code).toBe('invalid_state');
    const last = await api.request('DELETE', `/api/v1/products/${created.body.id}/variants/${variant.id}`, {
      token,
    });
    expect(last.status).toBe(409);
    expect(last.body.error.message).toMatch(/at least one variant/);
    expect(await counts()).toEqual(before);
  });

  it('refuses hostile variants with a 4xx naming the problem, writing nothing', async () => {
    const token = await adminToken();
    const product = await createCoffee(token);
    const other = await createCoffee(token);
    const before = await counts();
    const variant = (values: Record<string, string>) => ({
      sku: `X-${randomUUID().slice(0, 8)}`,
      optionValues: values,
      priceCents: 100,
      stock: 1,
    });

    const cases: [string, string, unknown, number, RegExp][] = [
      [
        'POST',
        '/api/v1/products',
        coffeeBody({ variants: [variant({ Weight: '5 kg', Grind: 'Beans' })] }),
        400,
        /not a value of "Weight"/,
      ],
      [
        'POST',
        '/api/v1/products',
        coffeeBody({ variants: [variant({ Weight: '1 kg' })] }),
        400,
        /must give a value for "Grind"/,
      ],
      [
        'POST',
        '/api/v1/products',
        coffeeBody({ variants: [variant({ Weight: '1 kg', Grind: 'Beans', Roast: 'Dark' })] }),
        400,
        /"Roast" is not an option/,
      ],
      [
        'POST',
        '/api/v1/products',
        coffeeBody({
          variants: [
            variant({ Weight: '1 kg', Grind: 'Beans' }),
            variant({ Grind: 'Beans', Weight: '1 kg' }),
          ],
        }),
        400,
        /values of another variant/,
      ],
      ['POST', '/api/v1/products', coffeeBody({ stock: 5 }), 400, /set on each variant/],
      ['POST', '/api/v1/products', coffeeBody({ options: [] }), 400, /options: are required with variants/],
      [
        'POST',
        '/api/v1/products',
        coffeeBody({ options: [{ name: 'Size', values: ['S', 'S'] }] }),
        400,
        /appears more than once/,
      ],
      [
        'POST',
        '/api/v1/products',
        coffeeBody({ options: [1, 2, 3, 4].map((n) => ({ name: `O${n}`, values: ['a'] })) }),
        400,
        /at most 3 options/,
      ],
      [
        'POST',
        `/api/v1/products/${product.id}/variants`,
        variant({ Weight: '1 kg', Grind: 'Beans' }),
        409,
        /these option values/,
      ],
      [
        'POST',
        `/api/v1/products/${product.id}/variants`,
        { ...variant({ Weight: '1 kg', Grind: 'Ground' }), sku: product.variants[0]!.sku },
        409,
        /sku already exists/,
      ],
      [
        'POST',
        `/api/v1/products/${product.id}/variants`,
        variant({ Weight: 'heavy', Grind: 'Ground' }),
        400,
        /not a value of "Weight"/,
      ],
      [
        'PATCH',
        `/api/v1/products/${product.id}/variants/${other.variants[0]!.id}`,
        { stock: 1 },
        404,
        /Variant/,
      ],
      [
        'PATCH',
        `/api/v1/products/${product.id}/variants/${product.variants[0]!.id}`,
        {},
        400,
        /at least one field/,
      ],
      [
        'PATCH',
        `/api/v1/products/${product.id}/variants/${product.variants[0]!.id}`,
        { optionValues: { Weight: '2 kg', Grind: 'Beans' } },
        400,
        /not a value/,
      ],
      ['PATCH', `/api/v1/products/${product.id}/variants/not-a-uuid`, { stock: 1 }, 400, /variant id/],
      [
        'DELETE',
        `/api/v1/products/${product.id}/variants/${other.variants[0]!.id}`,
        undefined,
        404,
        /Variant/,
      ],
      ['PATCH', `/api/v1/products/${product.id}`, { stock: 3 }, 400, /set on each variant/],
      [
        'PATCH',
        `/api/v1/products/${product.id}`,
        { options: [{ name: 'Weight', values: ['1 kg'] }] },
        400,
        /do not fit/,
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await api.request(method as 'POST', path, { token, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(errorText(res.body.error), `${method} ${path}`).toMatch(message);
    }
    expect(await counts()).toEqual(before);
    const customer = await customerToken();
    const forbidden = await api.request('POST', `/api/v1/products/${product.id}/variants`, {
      token: customer,
      body: variant({ Weight: '1 kg', Grind: 'Ground' }),
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('variants: checkout and stock', () => {
  it('sells per variant: lines name one, the order keeps its values, a sold-out one fails alone', async () => {
    const token = await adminToken();
    const product = await createCoffee(token);
    const beans = byValues(product, { Weight: '250 g', Grind: 'Beans' });
    const ground = byValues(product, { Weight: '250 g', Grind: 'Ground' });
    const shopper = await customerToken();

    const noVariant = await api.request('POST', '/api/v1/orders', {
      token: shopper,
      headers: { 'idempotency-key': randomUUID() },
      body: checkoutBody([{ productId: product.id, quantity: 1 }]),
    });
    expect(noVariant.status).toBe(400);
    expect(noVariant.body.error.details).toEqual({ 'items.0.variantId': expect.stringMatching(/required/) });
    const foreign = await createCoffee(token);
    const wrong = await api.request('POST', '/api/v1/orders', {
      token: shopper,
      headers: { 'idempotency-key': randomUUID() },
      body: checkoutBody([{ productId: product.id, variantId: foreign.variants[0]!.id, quantity: 1 }]),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual({ 'items.0.variantId': expect.stringMatching(/not a variant/) });

    const order = await api.request('POST', '/api/v1/orders', {
      token: shopper,
      headers: { 'idempotency-key': randomUUID() },
      body: checkoutBody([{ productId: product.id, variantId: beans.id, quantity: 2 }]),
    });
    expect(order.status).toBe(202);
    expect(order.body.items).toEqual([
      {
        productId: product.id,
        variantId: beans.id,
        optionValues: { Weight: '250 g', Grind: 'Beans' },
        sku: beans.sku,
        name: product.name,
        unitPriceCents: 6000,
        quantity: 2,
      },
    ]);
    const soldOut = await api.request('POST', '/api/v1/orders', {
      token: shopper,
      headers: { 'idempotency-key': randomUUID() },
      body: checkoutBody([{ productId: product.id, variantId: ground.id, quantity: 1 }]),
    });
    expect(soldOut.status).toBe(202);

    const outcome = await new OrderProcessingService(env.orm.em.fork()).decide([
      order.body.id,
      soldOut.body.id,
    ]);
    expect(Object.fromEntries(outcome.decided.map((o) => [o.id, [o.status, o.failureReason]]))).toEqual({
      [order.body.id]: ['awaiting_payment', null],
      [soldOut.body.id]: ['failed', 'out_of_stock'],
    });
    const after = await api.request('GET', `/api/v1/products/${product.id}`);
    expect(byValues(after.body, beans.optionValues)).toMatchObject({ stock: 3, version: 2 });
    expect(byValues(after.body, ground.optionValues)).toMatchObject({ stock: 0, version: 1 });
    expect(after.body).toMatchObject({ stock: 5, version: 2 });
    // The variant fell below the shop's low-stock threshold (5): one alert naming it; the
    // product's total (7 → 5) did not.
    const { rows: alerts } = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox_events where type = 'stock.low' and aggregate_id = ${product.id}
    `.execute(env.db());
    expect(alerts.map((a) => a.payload)).toEqual([
      expect.objectContaining({
        productId: product.id,
        variantId: beans.id,
        optionValues: beans.optionValues,
        sku: beans.sku,
        name: product.name,
        stock: 3,
        threshold: 5,
      }),
    ]);

    // Cancelling gives the units back to the variant, and the product's total with it.
    const cancelled = await api.request('POST', `/api/v1/orders/${order.body.id}/cancel`, { token: shopper });
    expect(cancelled.status).toBe(200);
    const restored = await api.request('GET', `/api/v1/products/${product.id}`);
    expect(byValues(restored.body, beans.optionValues)).toMatchObject({ stock: 5, version: 3 });
    expect(restored.body).toMatchObject({ stock: 7, version: 3 });
    expect((await lastEvent(product.id)).payload.variants).toEqual(
      restored.body.variants.map((v: object, sort: number) => ({ ...v, sort })),
    );
  });

  it('never oversells a variant when many buyers race for it', async () => {
    const token = await adminToken();
    const product = await createCoffee(token);
    const scarce = byValues(product, { Weight: '1 kg', Grind: 'Beans' });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => customerToken()));
    const orders = await Promise.all(
      buyers.map((shopper) =>
        api.request('POST', '/api/v1/orders', {
          token: shopper,
          headers: { 'idempotency-key': randomUUID() },
          body: checkoutBody(
            [{ productId: product.id, variantId: scarce.id, quantity: 1 }],
            'cash_on_delivery',
          ),
        }),
      ),
    );
    const ids = orders.map((o) => o.body.id as string);
    await Promise.all(ids.map((id) => new OrderProcessingService(env.orm.em.fork()).decide([id])));
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from orders where id = any(${ids}::uuid[]) group by status order by status
    `.execute(env.db());
    expect(rows).toEqual([
      { status: 'confirmed', n: 2 },
      { status: 'failed', n: 6 },
    ]);
    const after = await api.request('GET', `/api/v1/products/${product.id}`);
    expect(byValues(after.body, scarce.optionValues).stock).toBe(0);
    expect(after.body.stock).toBe(5);
  });
});
