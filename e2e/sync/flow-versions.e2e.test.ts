/**
 * The catalog-sync v1 → v2 migration (docs/sync.md), run on the real n8n and Directus while
 * admins keep changing products and shoppers keep taking stock: v1 and v2 published side by side,
 * the worker restarted with SYNC_FLOW_VERSION=v2, a reconciliation that brings the products
 * nobody changed since to v2 (their options and variants), v1 retired. It ends with no drift and
 * every product's last change in Directus with its variants.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Product } from '@lapak/contracts';
import { TokenService } from '@lapak/core';
import { checkoutBody, makeUser, storedDeadLetters, storedDeliveries, useTestEnv } from '@lapak/core/testing';
import { applyDirectus } from '../../directus/src/apply-directus';
import { deployFlows } from '../../n8n-workflows/src/deploy-flows';
import { loadFlows } from '../../n8n-workflows/src/flows';
import { n8nEditor, ownerApiKey } from '../support/n8n-editor';
import { DirectusClient, eventually, useStack } from '../support/stack';

const env = useTestEnv();
// One shopper places many orders here: no checkout rate limit in the way.
const stack = useStack(env, { CHECKOUT_RATE_LIMIT_PER_USER: 100_000 });

const weights = ['250 g', '500 g', '1 kg'];

async function admin<T = Product>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await stack.api.request(method, `/api/v1/${path}`, { token: stack.adminToken, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** A published coffee with a Weight option and a variant of each of the first `count` weights. */
const newCoffee = (count: number) => {
  const sku = `MIG-${randomUUID().slice(0, 8)}`;
  return {
    sku,
    name: `Kopi ${sku}`,
    currency: 'IDR',
    status: 'published',
    options: [{ name: 'Weight', values: weights }],
    variants: weights.slice(0, count).map((weight, i) => ({
      sku: `${sku}-${i}`,
      optionValues: { Weight: weight },
      priceCents: 40_000 + i * 30_000,
      stock: 50,
    })),
  };
};

/**
 * Admins and shoppers at work until stopped: products created, renamed, repriced, variants added,
 * changed and removed, products deleted, and cash-on-delivery orders taking a unit of a variant.
 * Returns the ids of every product it touched and a stop function that waits for the last step.
 */
function traffic(shopper: string) {
  const live: Product[] = [];
  const touched = new Set<string>();
  const errors: string[] = [];
  let running = true;
  let step = 0;
  const pick = () => live[Math.floor(Math.random() * live.length)];
  const keep = (product: Product) => {
    touched.add(product.id);
    const at = live.findIndex((p) => p.id === product.id);
    if (at >= 0) live[at] = product;
    else live.push(product);
  };
  const actions: (() => Promise<void>)[] = [
    async () => keep(await admin('POST', 'products', newCoffee(2))),
    async () => {
      const product = pick();
      if (product) keep(await admin('PATCH', `products/${product.id}`, { name: `${product.name}!` }));
    },
    async () => {
      const product = pick();
      const variant = product?.variants[0];
      if (product && variant) {
        keep(
          await admin('PATCH', `products/${product.id}/variants/${variant.id}`, {
            priceCents: variant.priceCents + 100,
            stock: variant.stock + 5,
          }),
        );
      }
    },
    async () => {
      const product = pick();
      if (!product) return;
      const used = new Set(product.variants.map((v) => v.optionValues.Weight));
      const weight = weights.find((w) => !used.has(w));
      if (weight) {
        keep(
          await admin('POST', `products/${product.id}/variants`, {
            sku: `${product.sku}-${randomUUID().slice(0, 4)}`,
            optionValues: { Weight: weight },
            priceCents: 99_000,
            stock: 9,
          }),
        );
      } else {
        keep(await admin('DELETE', `products/${product.id}/variants/${product.variants.at(-1)!.id}`));
      }
    },
    async () => {
      const product = pick();
      const variant = product?.variants.find((v) => v.stock > 0);
      if (!product || !variant) return;
      const res = await stack.api.checkout(
        shopper,
        checkoutBody([{ productId: product.id, variantId: variant.id, quantity: 1 }], 'cash_on_delivery'),
      );
      if (res.status !== 202) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async () => {
      if (live.length < 6) return;
      const product = live.shift()!;
      await admin('DELETE', `products/${product.id}`);
    },
  ];
  const loop = (async () => {
    while (running) {
      try {
        await actions[step++ % actions.length]!();
      } catch (error) {
        errors.push((error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  return {
    touched,
    errors,
    steps: () => step,
    async stop() {
      running = false;
      await loop;
    },
  };
}

const unsignedStatus = async (version: string) =>
  (await fetch(`${stack.cms.n8nUrl}/webhook/catalog-sync-${version}`, { method: 'POST', body: '{}' })).status;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `pnpm n8n:deploy --retire <id>` against the running n8n, through its public API (the only way
 * n8n really unpublishes a flow): an owner and an API key are set up first, as an operator would.
 */
async function n8nApi() {
  const n8nUrl = stack.cms.n8nUrl;
  const rawApiKey = await ownerApiKey(
    n8nEditor(n8nUrl, 'lapak-e2e-migration'),
    { email: 'migration@lapak.example.com', firstName: 'Flow', lastName: 'Operator' },
    'migration',
  );
  const flows = await loadFlows();
  // Every flow of the folder exists in n8n already: the public API updates and publishes it.
  const deploy = async (retire: string[]) =>
    (
      await deployFlows({
        flows: flows.filter((flow) => !retire.includes(flow.workflow.id)),
        retire,
        n8nCli: 'unused: every flow exists in n8n',
        env: {},
        n8nUrl,
        apiKey: rawApiKey,
      })
    ).actions;
  return { deploy };
}

describe('deploying: Directus schema and flow versions', () => {
  let operator: Awaited<ReturnType<typeof n8nApi>> | undefined;
  // The shared n8n serves the files that follow: v1 is published again after its retirement.
  afterAll(async () => {
    if (operator && (await unsignedStatus('v1')) !== 401) await operator.deploy([]);
  });

  it('applying the Directus schema, version fence, roles and sync user again changes nothing', async () => {
    const changes = await applyDirectus({
      url: stack.cms.directusUrl,
      adminToken: stack.cms.directusAdminToken,
      syncToken: stack.cms.directusSyncToken,
      databaseUrl: stack.cms.directusDatabaseUrl,
    });
    expect(changes).toEqual([]);
  });

  it('migrates v1 → v2 with traffic flowing: no drift and no lost change', async () => {
    // 1. Both versions published (every export of n8n-workflows/ is deployed); the worker posts to v1.
    expect(await unsignedStatus('v1')).toBe(401);
    expect(await unsignedStatus('v2')).toBe(401);
    expect(stack.config.SYNC_FLOW_VERSION).toBe('v1');

    const shopper = await new TokenService(env.config.JWT_SECRET, 3600).issue(
      await makeUser(env.orm.em.fork()),
    );
    const load = traffic(shopper);
    await sleep(3000);
    await eventually('products of the traffic in Directus through v1', async () =>
      (await stack.directus.ids('products')).length > 0 ? true : null,
    );

    // 2. The switch: the worker restarts with SYNC_FLOW_VERSION=v2 while changes keep coming.
    await stack.restartWorker({ SYNC_FLOW_VERSION: 'v2' });
    await sleep(2000);
    // Products nobody changed since the switch have no variants in Directus yet: the
    // reconciliation (now comparing what v2 writes) re-emits them.
    const backfill = await stack.reconcile();
    expect(backfill.drift.length).toBeGreaterThan(0);
    await sleep(2000);

    // 3. v1 retired: `pnpm n8n:deploy --retire lpkCatalogSyncV1` against the running n8n.
    operator = await n8nApi();
    const lines = await operator.deploy(['lpkCatalogSyncV1']);
    expect(lines).toContain('lpkCatalogSyncV1: unpublished');
    expect(lines).toContain('catalog-sync v2 (lpkCatalogSyncV2): unchanged → /webhook/catalog-sync-v2');
    await eventually('v1 no longer served', async () => ((await unsignedStatus('v1')) === 404 ? true : null));
    expect(await unsignedStatus('v2')).toBe(401);
    await sleep(2000);
    await load.stop();
    expect(load.errors).toEqual([]);
    expect(load.steps()).toBeGreaterThan(60);

    // 4. Once delivered, nothing differs: no drift, reconciliation comparing variants.
    await eventually(
      'no drift after the migration',
      async () => ((await stack.reconcile({ dryRun: true })).drift.length === 0 ? true : null),
      90_000,
    );
    let variantsChecked = 0;
    for (const id of load.touched) {
      const res = await stack.api.request('GET', `/api/v1/products/${id}`, { token: stack.adminToken });
      const item = await stack.directus.item('products', id);
      if (res.status === 404) {
        expect(item, `deleted product ${id}`).toBeNull();
        continue;
      }
      const product = res.body as Product;
      expect(item, `product ${id}`).toMatchObject({ version: product.version, name: product.name });
      expect(item!.options).toEqual(product.options);
      const { data: variants } = await stack.directus.request<Record<string, unknown>[]>(
        'GET',
        `/items/product_variants?filter[product][_eq]=${id}&sort=sort&fields=id,sku,stock,price_cents,version`,
      );
      variantsChecked += variants.length;
      expect(variants).toEqual(
        product.variants.map((v) => ({
          id: v.id,
          sku: v.sku,
          stock: v.stock,
          price_cents: v.priceCents,
          version: v.version,
        })),
      );
    }

    expect(variantsChecked).toBeGreaterThan(5);

    // Both versions took deliveries; nothing was dead-lettered.
    const applied = new Set<string>();
    for (let beforeId: string | undefined; ;) {
      const page = await storedDeliveries(env, { limit: 500, status: 'applied', beforeId });
      // The catalog flow's versions (the log also holds the automation flows' deliveries).
      for (const delivery of page) if (/^v\d+$/.test(delivery.flowVersion)) applied.add(delivery.flowVersion);
      if (page.length < 500) break;
      beforeId = page.at(-1)!.id;
    }
    expect([...applied].sort()).toEqual(['v1', 'v2']);
    expect(await storedDeadLetters(env)).toEqual([]);
  });
});

describe('variants in Directus (catalog-sync v2)', () => {
  it('the public reads the variants of published products only; editors change only their image', async () => {
    if (stack.config.SYNC_FLOW_VERSION !== 'v2') await stack.restartWorker({ SYNC_FLOW_VERSION: 'v2' });
    const published = await admin('POST', 'products', newCoffee(2));
    const draft = await admin('POST', 'products', { ...newCoffee(1), status: 'draft' });
    for (const product of [published, draft]) {
      await eventually(`the variants of ${product.sku} in Directus`, async () => {
        const { data } = await stack.directus.request<unknown[]>(
          'GET',
          `/items/product_variants?filter[product][_eq]=${product.id}&fields=id`,
        );
        return data.length === product.variants.length ? true : null;
      });
    }

    // The shop window: through the product (the form's `variants`) or on their own, sorted.
    const anyone = new DirectusClient(stack.cms.directusUrl, null);
    const shown = await anyone.request<{ options: unknown; variants: Record<string, unknown>[] }>(
      'GET',
      `/items/products/${published.id}?fields=options,variants.sku,variants.option_values,variants.price_cents,variants.stock,variants.image`,
    );
    expect(shown.status).toBe(200);
    expect(shown.data).toEqual({
      options: published.options,
      variants: published.variants.map((v) => ({
        sku: v.sku,
        option_values: v.optionValues,
        price_cents: v.priceCents,
        stock: v.stock,
        image: null,
      })),
    });
    const { data: listed } = await anyone.request<{ product: string; version?: number }[]>(
      'GET',
      `/items/product_variants?filter[product][_in]=${published.id},${draft.id}&fields=product`,
    );
    expect(listed.map((v) => v.product)).toEqual([published.id, published.id]);
    const bookkeeping = await anyone.request('GET', `/items/product_variants?fields=version,synced_at`);
    expect(bookkeeping.status).toBe(403);

    // Editors: a variant's image, from the product's form; nothing the API owns.
    const editor = await stack.directus.newEditor();
    const image = await editor.uploadPng(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
      'kopi-250',
    );
    const [small] = published.variants;
    const viaForm = await editor.request('PATCH', `/items/products/${published.id}`, {
      variants: { create: [], update: [{ id: small!.id, image }], delete: [] },
    });
    expect(viaForm.status, JSON.stringify(viaForm.data)).toBe(200);
    for (const change of [{ price_cents: 1 }, { sku: 'X' }, { stock: 0 }, { product: draft.id }]) {
      const refused = await editor.request('PATCH', `/items/product_variants/${small!.id}`, change);
      expect(refused.status, JSON.stringify(change)).toBe(403);
    }
    const removed = await editor.request('PATCH', `/items/products/${published.id}`, {
      variants: { create: [], update: [], delete: [small!.id] },
    });
    expect(removed.status).toBe(403);

    // The sync creates only: no update, no delete of a variant of its own.
    const sync = new DirectusClient(stack.cms.directusUrl, stack.cms.directusSyncToken);
    expect((await sync.request('PATCH', `/items/product_variants/${small!.id}`, { stock: 1 })).status).toBe(
      403,
    );
    expect((await sync.request('DELETE', `/items/product_variants/${small!.id}`)).status).toBe(403);

    // The editor's image survives the next sync of the variant.
    const changed = await admin('PATCH', `products/${published.id}/variants/${small!.id}`, { stock: 3 });
    const item = await eventually('the variant at its new version', async () => {
      const held = await stack.directus.item<{ version: number; stock: number; image: string }>(
        'product_variants',
        small!.id,
      );
      return held && held.version === changed.version ? held : null;
    });
    expect(item).toMatchObject({ stock: 3, image });
  });

  it('reconciliation finds variants changed, removed or added in Directus and repairs them', async () => {
    if (stack.config.SYNC_FLOW_VERSION !== 'v2') await stack.restartWorker({ SYNC_FLOW_VERSION: 'v2' });
    const product = await admin('POST', 'products', newCoffee(2));
    const [small, large] = product.variants;
    const variantsIn = async () =>
      (
        await stack.directus.request<{ id: string; stock: number; version: number }[]>(
          'GET',
          `/items/product_variants?filter[product][_eq]=${product.id}&sort=sort&fields=id,stock,version`,
        )
      ).data;
    await eventually('both variants in Directus', async () =>
      (await variantsIn()).length === 2 ? true : null,
    );

    // Someone with admin rights in Directus changes a variant, deletes one and adds another.
    const directus = stack.directus;
    expect(
      (await directus.request('PATCH', `/items/product_variants/${small!.id}`, { stock: 999 })).status,
    ).toBe(200);
    expect((await directus.request('DELETE', `/items/product_variants/${large!.id}`)).status).toBe(204);
    const stray = randomUUID();
    const added = await directus.request('POST', '/items/product_variants', {
      id: stray,
      product: product.id,
      sku: 'STRAY',
      option_values: {},
      price_cents: 1,
      stock: 1,
      version: 1,
      sort: 9,
    });
    expect(added.status, JSON.stringify(added.data)).toBe(200);

    const report = await stack.reconcile();
    const mine = report.drift.filter((d) => d.id === product.id);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ variant: small!.id, kind: 'different', fields: ['stock'] }),
        expect.objectContaining({ variant: large!.id, kind: 'missing' }),
        expect.objectContaining({ variant: stray, kind: 'extra' }),
      ]),
    );
    expect(report.reemitted).toBeGreaterThanOrEqual(1);

    const repaired = await eventually('the variants repaired', async () => {
      const held = await variantsIn();
      return held.length === 2 && held[0]!.stock === small!.stock ? held : null;
    });
    expect(repaired.map((v) => v.id)).toEqual([small!.id, large!.id]);
    expect((await stack.reconcile({ dryRun: true })).drift.filter((d) => d.id === product.id)).toEqual([]);
  });
});
