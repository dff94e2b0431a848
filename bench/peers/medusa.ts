import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/start/processes';
import type { CartLine, CatalogProduct } from './catalog';
import { JsonClient, type JsonResponse } from './http-client';
import { PeerProcesses, preparePeer } from './peer';
import { databaseUrl } from '../../scripts/start/database';
import type { CheckoutOutcome, SystemUnderTest } from './system';

const ours = new URL('./medusa/', import.meta.url).pathname;
/** How often a shopper sends the cart's completion when Medusa answers 409 (conflict). */
const COMPLETE_ATTEMPTS = 10;

interface SeedOut {
  publishableKey: string;
  regionId: string;
  shippingOptionId: string;
  variantIds: Record<string, string>;
}

/**
 * Medusa (`@medusajs/medusa` from the cache `bench/peers/install-peers.sh` fills): a database of
 * its own migrated by `medusa db:migrate` and loaded by our seed script through `medusa exec`
 * (bench/peers/medusa/seed.mjs), its Redis modules on a Redis database of their own (emptied
 * before and after), one `medusa start` process (server and worker), driven through the Store
 * API as Medusa's storefront checkout guide does it.
 */
export async function startMedusa(options: {
  home: string;
  serverUrl: string;
  redisUrl: string;
  redisDb: number;
  catalog: CatalogProduct[];
  log: (line: string) => void;
  flushRedisDb: () => Promise<void>;
}): Promise<SystemUnderTest> {
  const { home, serverUrl, catalog, log } = options;
  const database = 'bench_medusa';
  const catalogPath = await preparePeer({ home, ours, catalog, serverUrl, database });
  // Medusa requires medusa-config.js from the project folder; ours is an ES module beside it.
  writeFileSync(join(home, 'medusa-config.js'), "module.exports = require('./medusa-config.mjs');\n");
  const seedOutPath = join(home, 'seed-out.json');
  await options.flushRedisDb();
  const redisUrl = new URL(options.redisUrl);
  redisUrl.pathname = `/${options.redisDb}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    MEDUSA_DISABLE_TELEMETRY: 'true',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl(serverUrl, database),
    MEDUSA_DB_POOL: '10',
    MEDUSA_REDIS_URL: redisUrl.toString(),
    MEDUSA_CATALOG: catalogPath,
    MEDUSA_SEED_OUT: seedOutPath,
  };
  const peer = new PeerProcesses({ name: 'medusa', home, serverUrl, database, env, log });
  const cli = join(home, 'node_modules/@medusajs/cli/cli.js');
  await peer.step('db:migrate', [cli, 'db:migrate'], `database ${database} migrated`);
  await peer.step('exec seed', [cli, 'exec', './seed.mjs'], 'catalog loaded');
  const seed = JSON.parse(readFileSync(seedOutPath, 'utf8')) as SeedOut;

  const stop = async () => {
    await peer.stop();
    await options.flushRedisDb();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await peer.start(
      'server',
      [cli, 'start', '--port', String(port), '--host', '127.0.0.1'],
      async () => (await fetch(`${url}/health`)).ok,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const client = new JsonClient(url);
  const headers = { 'x-publishable-api-key': seed.publishableKey };
  const variantOf = (line: CartLine) => seed.variantIds[catalog[line.index]!.sku]!;
  const hotSku = catalog.at(-1)!.sku;
  const version = peer.version('@medusajs/medusa');

  return {
    name: 'Medusa',
    describe:
      `Medusa ${version} (\`@medusajs/medusa\`): one \`medusa start\` process (worker mode \`shared\`: server and ` +
      `worker together), database pool 10; its Redis modules (event bus, workflow engine, locking, cache), as its ` +
      `production setup has them, on Redis database ${options.redisDb} (Lapak's keys are in database 0 under a ` +
      `prefix of their own); schema by \`medusa db:migrate\`, catalog loaded with its core-flows workflows ` +
      '(one variant a product, inventory managed, one stock location); the system payment provider ' +
      '(`pp_system_default`); Store API with a publishable key, guest carts',
    processes: () => peer.pids(),
    async checkout(lines, buyer): Promise<CheckoutOutcome> {
      const call = async (method: string, path: string, body?: unknown): Promise<JsonResponse> => {
        const res = await client.send(method, path, body, headers);
        if (res.status >= 300)
          throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        return res;
      };
      try {
        const { cart } = (await call('POST', '/store/carts', { region_id: seed.regionId })).body as {
          cart: { id: string };
        };
        for (const line of lines) {
          await call('POST', `/store/carts/${cart.id}/line-items`, {
            variant_id: variantOf(line),
            quantity: line.quantity,
          });
        }
        await call('POST', `/store/carts/${cart.id}`, {
          email: `bench-${buyer}@example.test`,
          shipping_address: {
            first_name: 'Bench',
            last_name: `Shopper ${buyer}`,
            address_1: 'Hauptstraße 1',
            city: 'Berlin',
            postal_code: '10115',
            country_code: 'de',
          },
        });
        const options = (await call('GET', `/store/shipping-options?cart_id=${cart.id}`)).body as {
          shipping_options: { id: string }[];
        };
        await call('POST', `/store/carts/${cart.id}/shipping-methods`, {
          option_id: options.shipping_options[0]!.id,
        });
        const { payment_collection } = (
          await call('POST', '/store/payment-collections', { cart_id: cart.id })
        ).body as {
          payment_collection: { id: string };
        };
        await call('POST', `/store/payment-collections/${payment_collection.id}/payment-sessions`, {
          provider_id: 'pp_system_default',
        });
        // Medusa answers 409 while another request holds a lock the completion needs (carts
        // buying the same product) and asks the client to retry; a storefront does.
        let completion = await client.send('POST', `/store/carts/${cart.id}/complete`, undefined, headers);
        for (let attempt = 1; completion.status === 409 && attempt < COMPLETE_ATTEMPTS; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          completion = await client.send('POST', `/store/carts/${cart.id}/complete`, undefined, headers);
        }
        if (completion.status >= 300) {
          return {
            ok: false,
            refusal: `complete: HTTP ${completion.status} ${JSON.stringify(completion.body).slice(0, 200)}`,
          };
        }
        const done = completion.body as {
          type: string;
          order?: { id: string };
          error?: { message?: string };
        };
        return done.type === 'order'
          ? { ok: true, orderId: done.order!.id }
          : { ok: false, refusal: done.error?.message ?? JSON.stringify(done).slice(0, 200) };
      } catch (error) {
        return { ok: false, refusal: (error as Error).message };
      }
    },
    hotProduct: () =>
      peer.hotProduct<{ stocked: string; reserved: string }>(
        hotSku,
        `select sum(oi.quantity) as units
           from order_item oi
           join order_line_item li on li.id = oi.item_id
           join "order" o on o.id = oi.order_id
          where li.variant_sku = $1 and o.status <> 'canceled' and o.deleted_at is null and oi.deleted_at is null`,
        `select sum(l.stocked_quantity) as stocked, sum(l.reserved_quantity) as reserved
           from inventory_level l join inventory_item i on i.id = l.inventory_item_id
          where i.sku = $1 and l.deleted_at is null`,
        (stock) => `stocked_quantity ${stock?.stocked}, reserved_quantity ${stock?.reserved}`,
      ),
    async stop() {
      client.close();
      await stop();
    },
  };
}
