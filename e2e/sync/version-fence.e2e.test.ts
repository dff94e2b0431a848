/**
 * A delivery the dispatcher gave up on is not cancelled: its n8n execution can still write after
 * newer deliveries have. Here the holding proxy between n8n and Directus keeps an older write
 * waiting past the dispatcher's timeout while newer versions of the same product are delivered,
 * then lets it land. Directus must end at the newest state, without reconciliation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEvent } from '@lapak/contracts';
import { productDeleted, productUpserted } from '@lapak/core';
import { optionProductBody, sampleProductFields, storedDeliveries, useTestEnv } from '@lapak/core/testing';
import { flowUrl, postBatch } from '@lapak/worker/src/sync/flow-client';
import { wireEvent } from '@lapak/worker/src/testing/wire-event';
import { DirectusClient, eventually, useStack } from '../support/stack';

const env = useTestEnv();
// A short timeout, so that a held write outlives the request that carried it.
const stack = useStack(env, { SYNC_REQUEST_TIMEOUT_MS: 1500 });

const newProduct = (overrides: Record<string, unknown> = {}) => ({
  sku: `FENCE-${randomUUID().slice(0, 8)}`,
  name: 'Kopi Gayo',
  priceCents: 48_000,
  currency: 'IDR',
  stock: 12,
  status: 'published',
  ...overrides,
});

async function api(method: string, path: string, body?: Record<string, unknown>) {
  const res = await stack.api.request(method, `/api/v1/${path}`, { token: stack.adminToken, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body as { id: string; version: number } & Record<string, unknown>;
}

const synced = (id: string, version: number) =>
  eventually(`product ${id} v${version} in Directus`, async () => {
    const item = await stack.directus.item('products', id);
    return item && item.version >= version ? item : null;
  });

/** Waits until the proxy holds at least one write (the flow's execution is now stuck in it). */
const held = () =>
  eventually('a write held by the proxy', async () => (await stack.cms.directusProxy.held()) > 0);

/** Waits until the delivery log has `status` for the product at `version`. */
const delivered = (id: string, version: number, status: string) =>
  eventually(`v${version} of ${id} ${status}`, async () => {
    const log = await storedDeliveries(env, { limit: 500 });
    return log.some((d) => d.aggregate.id === id && d.aggregate.version === version && d.status === status);
  });

/** Lets the held writes land and waits until Directus has answered them. */
async function release() {
  expect(await stack.cms.directusProxy.release()).toBeGreaterThan(0);
}

async function directusDb<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: stack.cms.directusDatabaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const refusals = async () =>
  Number(
    (
      await directusDb<{ refused: string }>(`select refused from sync_fence_refusals where id = 'products'`)
    )[0]?.refused ?? 0,
  );

describe('a late delivery never undoes a newer one', () => {
  // Whatever a test left held lands before the next one starts.
  afterEach(() => stack.cms.directusProxy.release());

  it('create → delete: the create that lands after the delete is refused, and the product stays deleted', async () => {
    const body = newProduct();
    await stack.cms.directusProxy.hold({ sku: body.sku, version: 1 });
    const product = await api('POST', 'products', body);
    await held();
    await delivered(product.id, 1, 'error'); // the dispatcher gave up waiting for it
    await api('DELETE', `products/${product.id}`);
    await delivered(product.id, 2, 'applied');

    const before = await refusals().catch(() => Number.NaN);
    await release();
    expect(await stack.directus.item('products', product.id)).toBeNull();
    expect(await refusals()).toBeGreaterThan(before);
    const [tombstone] = await directusDb<{ version: number }>(
      `select version from sync_tombstones where id = $1`,
      [`products:${product.id}`],
    );
    expect(tombstone?.version).toBe(2);
  });

  it('update → update: an older price landing late does not overwrite the newer one', async () => {
    const product = await api('POST', 'products', newProduct());
    await synced(product.id, 1);
    await stack.cms.directusProxy.hold({ id: product.id, version: 2 });
    await api('PATCH', `products/${product.id}`, { priceCents: 50_000 });
    await held();
    await delivered(product.id, 2, 'error');
    const newest = await api('PATCH', `products/${product.id}`, {
      priceCents: 55_000,
      name: 'Kopi Gayo Wine',
    });
    await synced(product.id, newest.version);

    await release();
    expect(await stack.directus.item('products', product.id)).toMatchObject({
      version: newest.version,
      price_cents: 55_000,
      name: 'Kopi Gayo Wine',
    });
  });

  it('delete → create of another product with the same sku: the late delete removes only the old one', async () => {
    const old = await api('POST', 'products', newProduct());
    await synced(old.id, 1);
    await stack.cms.directusProxy.hold({ item: old.id });
    await stack.cms.directusProxy.hold({ id: old.id });
    await api('DELETE', `products/${old.id}`);
    await held();
    const replacement = await api('POST', 'products', newProduct({ sku: old.sku, name: 'Kopi Gayo baru' }));
    await synced(replacement.id, 1);

    await release();
    await eventually(
      'the old product gone',
      async () => (await stack.directus.item('products', old.id)) === null,
    );
    expect(await stack.directus.item('products', replacement.id)).toMatchObject({
      sku: old.sku,
      name: 'Kopi Gayo baru',
      version: 1,
    });
  });

  it('a write refused by the fence is answered stale to the request that carried it', async () => {
    const id = randomUUID();
    const create = wireEvent(productUpserted({ id, ...sampleProductFields(id.slice(0, 8)), version: 1 }));
    const post = (events: CatalogEvent[]) =>
      postBatch({
        url: flowUrl(stack.cms.n8nUrl, 'v1'),
        secret: stack.cms.webhookSecret,
        events,
        requestId: `fence-${randomUUID()}`,
        timeoutMs: 60_000,
      });
    await stack.cms.directusProxy.hold({ id, version: 1 });
    const late = post([create]);
    await held();
    const remove = wireEvent(productDeleted({ id, version: 2 }));
    const removed = await post([remove]);
    expect(removed.ok && removed.results.get(remove.id)).toEqual({ id: remove.id, status: 'applied' });

    await release();
    const answer = await late;
    expect(answer.ok && answer.results.get(create.id)).toEqual({ id: create.id, status: 'stale' });
    expect(await stack.directus.item('products', id)).toBeNull();
  });

  it('after all of that, reconciliation finds no drift', async () => {
    expect((await stack.reconcile({ dryRun: true })).drift).toEqual([]);
  });

  it('the worker counts the refused writes, and reconciliation prunes tombstones past the retention', async () => {
    const metric = await stack.worker.deps.metrics.registry.getSingleMetricAsString(
      'lapak_sync_fenced_writes_total',
    );
    const counted = /lapak_sync_fenced_writes_total\{collection="products"\} (\d+)/.exec(metric);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(counted?.[1])).toBe(await refusals());

    const product = await api('POST', 'products', newProduct());
    await synced(product.id, 1);
    await api('DELETE', `products/${product.id}`);
    await delivered(product.id, 2, 'applied');
    await directusDb(`update sync_tombstones set deleted_at = now() - interval '15 days' where id = $1`, [
      `products:${product.id}`,
    ]);
    const report = await stack.reconcile({ retentionDays: 14 });
    expect(report.pruned.tombstones).toBe(1);
    expect(
      await directusDb('select id from sync_tombstones where id = $1', [`products:${product.id}`]),
    ).toEqual([]);
  });
});

describe('a late delivery never brings back a removed variant (catalog-sync v2)', () => {
  // These cases run through v2, which writes variants; the file's other cases through v1.
  beforeAll(() => stack.restartWorker({ SYNC_FLOW_VERSION: 'v2' }));
  afterAll(() => stack.restartWorker({ SYNC_FLOW_VERSION: 'v1' }));
  afterEach(() => stack.cms.directusProxy.release());

  const created: string[] = [];
  const coffee = () =>
    optionProductBody('Weight', [
      { value: '250 g', priceCents: 48_000, stock: 5 },
      { value: '1 kg', priceCents: 150_000, stock: 2 },
    ]);
  type Variant = { id: string; sku: string; version: number };
  const variantsIn = async (productId: string) =>
    (
      await stack.directus.request<Variant[]>(
        'GET',
        `/items/product_variants?filter[product][_eq]=${productId}&sort=sort&fields=id,sku,version`,
      )
    ).data;
  const variantRefusals = async () =>
    Number(
      (
        await directusDb<{ refused: string }>(
          `select refused from sync_fence_refusals where id = 'product_variants'`,
        )
      )[0]?.refused ?? 0,
    );

  it('update → remove: the older write of a variant lands after its removal and is refused', async () => {
    const product = await api('POST', 'products', coffee());
    created.push(product.id);
    const [small, large] = product.variants as Variant[];
    await synced(product.id, 1);
    await eventually('both variants in Directus', async () =>
      (await variantsIn(product.id)).length === 2 ? true : null,
    );

    await stack.cms.directusProxy.hold({ id: large!.id, version: 2 });
    await api('PATCH', `products/${product.id}/variants/${large!.id}`, { priceCents: 140_000 });
    await held();
    await delivered(product.id, 2, 'error');
    const removed = await api('DELETE', `products/${product.id}/variants/${large!.id}`);
    await delivered(product.id, removed.version, 'applied');
    expect((await variantsIn(product.id)).map((v) => v.id)).toEqual([small!.id]);

    const before = await variantRefusals();
    await release();
    expect(await variantsIn(product.id)).toEqual([{ id: small!.id, sku: small!.sku, version: 1 }]);
    expect(await variantRefusals()).toBeGreaterThan(before);
    const [tombstone] = await directusDb<{ version: number }>(
      `select version from sync_tombstones where id = $1`,
      [`product_variants:${large!.id}`],
    );
    expect(tombstone?.version).toBe(removed.version);
  });

  it('create → delete: variants landing after their product was deleted are refused', async () => {
    const body = coffee();
    const first = body.variants[0]!.sku;
    await stack.cms.directusProxy.hold({ sku: first, version: 1 });
    const product = await api('POST', 'products', body);
    created.push(product.id);
    await held();
    await delivered(product.id, 1, 'error');
    await api('DELETE', `products/${product.id}`);
    await delivered(product.id, 2, 'applied');

    const before = await variantRefusals();
    await release();
    expect(await stack.directus.item('products', product.id)).toBeNull();
    expect(await variantsIn(product.id)).toEqual([]);
    expect(await variantRefusals()).toBeGreaterThan(before);
  });

  it('reconciliation, comparing variants, finds no drift in these products', async () => {
    const report = await stack.reconcile({ dryRun: true });
    // The file's other products were synced by v1, which writes no variants.
    expect(report.drift.filter((d) => created.includes(d.id))).toEqual([]);
    expect(created.length).toBe(2);
  });
});

describe('the fence in Directus’s database', () => {
  const row = (id: string, version: number, name: string) => [
    id,
    `SKU-${randomBytes(4).toString('hex')}`,
    name,
    version,
  ];
  const insert = (values: unknown[]) =>
    directusDb(
      `insert into products (id, sku, name, slug, price_cents, currency, stock, status, version)
       values ($1, $2, $3, 'x', 1000, 'IDR', 1, 'published', $4)`,
      values,
    );
  const read = async (id: string) =>
    (
      await directusDb<{ name: string; version: number; description: string | null }>(
        'select name, version, description from products where id = $1',
        [id],
      )
    )[0];

  it('an update must carry a newer version; one that leaves the version alone (an editor’s) passes', async () => {
    const id = randomUUID();
    await insert(row(id, 3, 'three'));
    await directusDb(`update products set name = 'two', version = 2 where id = $1`, [id]);
    expect(await read(id)).toMatchObject({ name: 'three', version: 3 });
    await directusDb(`update products set description = '<p>ditulis editor</p>' where id = $1`, [id]);
    await directusDb(`update products set name = 'four', version = 4 where id = $1`, [id]);
    expect(await read(id)).toEqual({ name: 'four', version: 4, description: '<p>ditulis editor</p>' });
  });

  it('a create of an item that exists updates its API-owned fields if newer and is refused if not', async () => {
    const id = randomUUID();
    await insert(row(id, 2, 'two'));
    await directusDb(`update products set description = 'kept' where id = $1`, [id]);
    await insert(row(id, 1, 'one'));
    expect(await read(id)).toMatchObject({ name: 'two', version: 2 });
    await insert(row(id, 5, 'five'));
    expect(await read(id)).toEqual({ name: 'five', version: 5, description: 'kept' });
  });

  it('a tombstone deletes the item, refuses older creates, and is itself refused when older than the item', async () => {
    const id = randomUUID();
    await insert(row(id, 2, 'two'));
    const bury = (version: number) =>
      directusDb(
        `insert into sync_tombstones (id, collection, item, version) values ('x', 'products', $1, $2)`,
        [id, version],
      );
    await bury(1);
    expect(await read(id)).toMatchObject({ version: 2 });
    await bury(3);
    expect(await read(id)).toBeUndefined();
    await insert(row(id, 3, 'three'));
    expect(await read(id)).toBeUndefined();
    await bury(2);
    const tombstones = await directusDb<{ id: string; version: number }>(
      'select id, version from sync_tombstones where item = $1',
      [id],
    );
    expect(tombstones).toEqual([{ id: `products:${id}`, version: 3 }]);
    await expect(
      directusDb(
        `insert into sync_tombstones (id, collection, item, version) values ('x', 'directus_users', $1, 9)`,
        [id],
      ),
    ).rejects.toThrow(/not a fenced collection/);
  });

  it('a variant whose product Directus does not hold is refused and counted, not failed', async () => {
    const product = randomUUID();
    const variant = randomUUID();
    const counted = async () =>
      Number(
        (
          await directusDb<{ refused: string }>(
            `select refused from sync_fence_refusals where id = 'product_variants'`,
          )
        )[0]?.refused ?? 0,
      );
    const before = await counted();
    const insertVariant = () =>
      directusDb(
        `insert into product_variants (id, product, sku, option_values, price_cents, stock, version, sort)
         values ($1, $2, 'V-1', '{}', 1000, 1, 1, 0)`,
        [variant, product],
      );
    await insertVariant();
    expect(await directusDb('select id from product_variants where id = $1', [variant])).toEqual([]);
    expect(await counted()).toBe(before + 1);
    await insert([product, `SKU-${randomBytes(4).toString('hex')}`, 'parent', 1]);
    await insertVariant();
    expect(await directusDb('select id from product_variants where id = $1', [variant])).toEqual([
      { id: variant },
    ]);
    // Indexed by product: the flow's read and a product's delete find its variants by it.
    const indexes = await directusDb<{ indexdef: string }>(
      `select indexdef from pg_indexes where tablename = 'product_variants'`,
    );
    expect(indexes.map((i) => i.indexdef).join('\n')).toMatch(/\(product\)/);
    // Deleting the product (its tombstone) takes the variant with it.
    await directusDb(
      `insert into sync_tombstones (id, collection, item, version) values ('x', 'products', $1, 2)`,
      [product],
    );
    expect(await directusDb('select id from product_variants where id = $1', [variant])).toEqual([]);
  });

  it('neither the public nor editors see tombstones or refusals', async () => {
    const editor = await stack.directus.newEditor();
    for (const client of [new DirectusClient(stack.cms.directusUrl, null), editor]) {
      for (const collection of ['sync_tombstones', 'sync_fence_refusals']) {
        expect((await client.request('GET', `/items/${collection}`)).status, collection).toBe(403);
      }
    }
    const sync = new DirectusClient(stack.cms.directusUrl, stack.cms.directusSyncToken);
    expect((await sync.request('GET', '/items/sync_tombstones?limit=1')).status).toBe(200);
    // The sync only creates (the fence makes a create of a held item an update) and writes
    // tombstones: it may neither update nor delete an item itself.
    const [held] = await stack.directus.ids('products');
    if (held) {
      expect((await sync.request('PATCH', `/items/products/${held}`, { name: 'x' })).status).toBe(403);
      expect((await sync.request('DELETE', `/items/products/${held}`)).status).toBe(403);
    }
  });
});
