import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { productUpserted } from '@lapak/core';
import { storedDeadLetters, storedDeliveries, useTestEnv } from '@lapak/core/testing';
import { webhookHeaders } from '@lapak/worker/src/sync/webhook-signature';
import { wireEvent } from '@lapak/worker/src/testing/wire-event';
import { DirectusClient, eventually, productCreateBody, useStack } from '../support/stack';
import { directusQueryLimitMax } from '../../directus/src/fields';

const env = useTestEnv();
const stack = useStack(env);

/** A published product's create body: the shop window (Directus Public) sees it. */
const newProduct = (overrides: Parameters<typeof productCreateBody>[0] = {}) =>
  productCreateBody({ status: 'published', ...overrides });

async function create(path: 'products' | 'categories', body: Record<string, unknown>) {
  const res = await stack.api.request('POST', `/api/v1/${path}`, { token: stack.adminToken, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number } & Record<string, unknown>;
}

async function patch(id: string, body: Record<string, unknown>) {
  const res = await stack.api.request('PATCH', `/api/v1/products/${id}`, { token: stack.adminToken, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; version: number };
}

/** Waits until Directus holds `id` at `version` (or newer) and returns the item. */
const synced = (collection: string, id: string, version: number, timeoutMs = 30_000) =>
  eventually(
    `${collection} ${id} v${version} in Directus`,
    async () => {
      const item = await stack.directus.item(collection, id);
      return item && item.version >= version ? item : null;
    },
    timeoutMs,
  );

const gone = (collection: string, id: string, timeoutMs = 30_000) =>
  eventually(
    `${collection} ${id} gone from Directus`,
    async () => (await stack.directus.item(collection, id)) === null,
    timeoutMs,
  );

describe('catalog sync through n8n into Directus', () => {
  it('creates, updates and deletes through the API appear in Directus, with only API-owned fields written', async () => {
    const category = await create('categories', { name: 'Kopi Nusantara' });
    const product = await create('products', newProduct({ categoryId: category.id }));

    const cat = await synced('categories', category.id, 1);
    expect(cat).toMatchObject({ name: 'Kopi Nusantara', slug: 'kopi-nusantara', parent: null, version: 1 });
    const item = await synced('products', product.id, 1);
    expect(item).toMatchObject({
      sku: product.sku,
      name: product.name,
      price_cents: product.priceCents,
      currency: product.currency,
      stock: product.stock,
      status: 'published',
      category: category.id,
      version: 1,
      description: null,
      seo_title: null,
    });
    expect(Date.parse(item.synced_at)).toBeGreaterThan(Date.now() - 60_000);

    const changed = await patch(product.id, { priceCents: 61_000, name: 'Kopi Toraja Sapan' });
    expect(await synced('products', product.id, changed.version)).toMatchObject({
      price_cents: 61_000,
      name: 'Kopi Toraja Sapan',
    });

    // The shop window (Directus Public, no token) sees published products only.
    const publicDirectus = new DirectusClient(stack.cms.directusUrl, null);
    expect(await publicDirectus.item('products', product.id)).toMatchObject({ name: 'Kopi Toraja Sapan' });
    // Public reads are bounded: `limit=-1` gets at most QUERY_LIMIT_MAX items, a larger limit is refused.
    expect((await publicDirectus.request('GET', '/items/products?limit=-1&fields=id')).status).toBe(200);
    const tooMany = await publicDirectus.request('GET', `/items/products?limit=${directusQueryLimitMax + 1}`);
    expect(tooMany.status).toBe(400);
    const draft = await patch(product.id, { status: 'draft' });
    await synced('products', product.id, draft.version);
    expect(await publicDirectus.item('products', product.id)).toBeNull();

    const del = await stack.api.request('DELETE', `/api/v1/products/${product.id}`, {
      token: stack.adminToken,
    });
    expect(del.status).toBe(204);
    await gone('products', product.id);

    // Every attempt is in the delivery log, with the request id that went to the flow and came back
    // (the dispatcher writes the log after the flow's answer, so the last entry may trail Directus).
    const applied = await eventually('5 applied deliveries in the log', async () => {
      const log = await storedDeliveries(env, { limit: 50 });
      const found = log.filter((d) => d.status === 'applied');
      return found.length >= 5 ? found : null;
    });
    for (const d of applied) {
      expect(d.requestId).toMatch(/^sync-/);
      expect(d.flowVersion).toBe('v1');
      expect(d.httpStatus).toBe(200);
    }
  });

  it('keeps what editors write in Directus through later syncs; editors cannot change API-owned fields', async () => {
    const product = await create('products', newProduct());
    await synced('products', product.id, 1);

    const editor = await stack.directus.newEditor();
    const edit = await editor.request('PATCH', `/items/products/${product.id}`, {
      description: '<p>Dipetik tangan di lereng Sesean.</p>',
      highlights: ['single origin', 'washed'],
      seo_title: 'Kopi Toraja Sapan',
    });
    expect(edit.status).toBe(200);
    const forbidden = await editor.request('PATCH', `/items/products/${product.id}`, { price_cents: 1 });
    expect(forbidden.status).toBe(403);

    const changed = await patch(product.id, { stock: 7 });
    const item = await synced('products', product.id, changed.version);
    expect(item).toMatchObject({
      stock: 7,
      price_cents: product.priceCents,
      description: '<p>Dipetik tangan di lereng Sesean.</p>',
      highlights: ['single origin', 'washed'],
      seo_title: 'Kopi Toraja Sapan',
    });
  });

  it('1,000 rapid updates of one product end with its newest version in Directus', async () => {
    const product = await create('products', newProduct());
    let last = product.version;
    const started = Date.now();
    for (let i = 1; i <= 1000; i++) {
      last = (await patch(product.id, { stock: i })).version;
    }
    expect(last).toBe(1001);
    const item = await synced('products', product.id, 1001, 60_000);
    expect(item).toMatchObject({ version: 1001, stock: 1000 });

    // Coalesced: far fewer events sent than changes made, none lost or failed. The worker logs a
    // batch's deliveries once n8n has answered, just after Directus holds the item: wait for the log.
    const countByStatus = async () => {
      const rows: { status: string; n: number }[] = await env.orm.em
        .fork()
        .getConnection()
        .execute(
          `select status, count(*)::int as n from sync_deliveries
            where aggregate_id = ? and created_at >= ? group by status`,
          [product.id, new Date(started - 1000)],
        );
      return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number | undefined>;
    };
    const logged = (by: Record<string, number | undefined>) =>
      (by.applied ?? 0) + (by.superseded ?? 0) + (by.stale ?? 0);
    const by = await eventually(
      'a delivery logged for each of the 1,000 events',
      async () => {
        const counted = await countByStatus();
        return logged(counted) >= 1000 ? counted : null;
      },
      15_000,
    ).catch(() => countByStatus());
    expect(by.applied).toBeLessThan(500);
    expect(logged(by)).toBeGreaterThanOrEqual(1000);
    expect(by.failed ?? 0).toBe(0);
  });

  for (const service of ['n8n', 'directus'] as const) {
    it(`with ${service} stopped, changes wait; after it restarts they all arrive`, async () => {
      const before = await create('products', newProduct());
      await synced('products', before.id, 1);

      await stack.cms.stop(service);
      try {
        const created = [];
        for (let i = 0; i < 10; i++) created.push(await create('products', newProduct()));
        const changed = await patch(before.id, { priceCents: 70_000 });
        await eventually('a delivery failing while it is down', async () => {
          const log = await storedDeliveries(env, { limit: 5, status: 'error' });
          return log.length > 0;
        });

        await stack.cms.start(service);
        for (const product of created) await synced('products', product.id, 1, 90_000);
        expect(await synced('products', before.id, changed.version, 90_000)).toMatchObject({
          price_cents: 70_000,
        });
        expect(await storedDeadLetters(env)).toEqual([]);
      } finally {
        await stack.cms.start(service);
      }
    });
  }

  it('reconciliation finds a row corrupted in Directus and repairs it', async () => {
    const product = await create('products', newProduct({ name: 'Kopi Kintamani' }));
    const lost = await create('products', newProduct());
    await synced('products', product.id, 1);
    await synced('products', lost.id, 1);

    // Someone with admin rights in Directus changes API-owned fields, and removes a product.
    const admin = stack.directus;
    expect(
      (await admin.request('PATCH', `/items/products/${product.id}`, { name: 'Salah', price_cents: 1 }))
        .status,
    ).toBe(200);
    expect((await admin.request('DELETE', `/items/products/${lost.id}`)).status).toBe(204);

    const report = await stack.reconcile();
    expect(report.drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: product.id, kind: 'different', fields: ['name', 'price_cents'] }),
        expect.objectContaining({ id: lost.id, kind: 'missing' }),
      ]),
    );
    expect(report.reemitted).toBeGreaterThanOrEqual(2);

    expect(await synced('products', product.id, 2)).toMatchObject({
      name: 'Kopi Kintamani',
      price_cents: product.priceCents,
    });
    expect(await synced('products', lost.id, 2)).toMatchObject({ sku: lost.sku });
    const again = await stack.reconcile({ dryRun: true });
    expect(again.drift).toEqual([]);
  });

  it('refuses a wrongly signed or stale request and changes nothing', async () => {
    const product = await create('products', newProduct({ name: 'Teh Kayu Aro' }));
    await synced('products', product.id, 1);
    const url = `${stack.cms.n8nUrl}/webhook/catalog-sync-v1`;
    const body = JSON.stringify({
      events: [
        wireEvent(
          productUpserted({
            ...newProduct({ name: 'Palsu' }),
            id: product.id,
            slug: 'palsu',
            status: 'published',
            categoryId: null,
            version: 99,
          }),
        ),
      ],
    });
    const forged = await fetch(url, {
      method: 'POST',
      headers: { ...webhookHeaders('not-the-secret', randomUUID(), body), 'x-request-id': 'forged-1' },
      body,
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('x-request-id')).toBe('forged-1');
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');

    const old = await fetch(url, {
      method: 'POST',
      headers: webhookHeaders(stack.config.WEBHOOK_SECRET, randomUUID(), body, Date.now() - 6 * 60_000),
      body,
    });
    expect(old.status).toBe(401);

    const tampered = webhookHeaders(stack.config.WEBHOOK_SECRET, randomUUID(), body);
    const changedBody = body.replace('Palsu', 'Palsu!');
    expect((await fetch(url, { method: 'POST', headers: tampered, body: changedBody })).status).toBe(401);

    expect(await stack.directus.item('products', product.id)).toMatchObject({
      name: 'Teh Kayu Aro',
      version: 1,
    });

    // The same request signed with the right secret goes through, and the flow answers per event.
    const good = await fetch(url, {
      method: 'POST',
      headers: {
        ...webhookHeaders(stack.config.WEBHOOK_SECRET, randomUUID(), body),
        'x-request-id': 'good-1',
      },
      body,
    });
    expect(good.status).toBe(200);
    expect(good.headers.get('x-request-id')).toBe('good-1');
    const { results } = (await good.json()) as { results: { status: string }[] };
    expect(results).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(await stack.directus.item('products', product.id)).toMatchObject({ name: 'Palsu', version: 99 });
  });
});
