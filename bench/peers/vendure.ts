import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/start/processes';
import type { CartLine, CatalogProduct } from './catalog';
import { JsonClient } from './http-client';
import { PeerProcesses, preparePeer } from './peer';
import type { CheckoutOutcome, SystemUnderTest } from './system';

const ours = new URL('./vendure/', import.meta.url).pathname;

const ADD_ITEM = `mutation ($variant: ID!, $quantity: Int!) {
  addItemToOrder(productVariantId: $variant, quantity: $quantity) {
    __typename ... on Order { id } ... on ErrorResult { errorCode message }
  }
}`;
const SET_CUSTOMER = `mutation ($input: CreateCustomerInput!) {
  setCustomerForOrder(input: $input) { __typename ... on ErrorResult { errorCode message } }
}`;
const SET_ADDRESS = `mutation ($input: CreateAddressInput!) {
  setOrderShippingAddress(input: $input) { __typename ... on ErrorResult { errorCode message } }
}`;
const SHIPPING_METHODS = `query { eligibleShippingMethods { id name priceWithTax } }`;
const SET_SHIPPING = `mutation ($ids: [ID!]!) {
  setOrderShippingMethod(shippingMethodId: $ids) { __typename ... on ErrorResult { errorCode message } }
}`;
const TO_PAYMENT = `mutation {
  transitionOrderToState(state: "ArrangingPayment") {
    __typename ... on Order { state } ... on OrderStateTransitionError { errorCode message transitionError }
  }
}`;
const ADD_PAYMENT = `mutation ($input: PaymentInput!) {
  addPaymentToOrder(input: $input) {
    __typename ... on Order { code state } ... on ErrorResult { errorCode message }
  }
}`;

interface GraphqlAnswer {
  data?: Record<
    string,
    { __typename?: string; errorCode?: string; message?: string; state?: string; id?: string }
  >;
  errors?: { message: string }[];
}

/**
 * Vendure (`@vendure/core` from the cache `bench/peers/install-peers.sh` fills): a database of
 * its own loaded by `populate()` (bench/peers/vendure/populate.mjs), the server and its default
 * worker as two child processes, driven through the Shop API as Vendure's storefront guide has a
 * guest check out.
 */
export async function startVendure(options: {
  home: string;
  serverUrl: string;
  catalog: CatalogProduct[];
  log: (line: string) => void;
}): Promise<SystemUnderTest> {
  const { home, serverUrl, catalog, log } = options;
  const database = 'bench_vendure';
  const catalogPath = await preparePeer({ home, ours, catalog, serverUrl, database });
  const db = new URL(serverUrl);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    VENDURE_DISABLE_TELEMETRY: 'true',
    // Vendure refuses its default superadmin password in production mode; nobody logs in here.
    VENDURE_SUPERADMIN_PASSWORD: randomBytes(24).toString('hex'),
    VENDURE_COOKIE_SECRET: randomBytes(24).toString('hex'),
    VENDURE_PORT: String(port),
    VENDURE_DB_HOST: db.hostname,
    VENDURE_DB_PORT: db.port || '5432',
    VENDURE_DB_USER: decodeURIComponent(db.username) || 'postgres',
    VENDURE_DB_PASSWORD: decodeURIComponent(db.password),
    VENDURE_DB_NAME: database,
    VENDURE_DB_POOL: '10',
    VENDURE_CATALOG: catalogPath,
  };
  const peer = new PeerProcesses({ name: 'vendure', home, serverUrl, database, env, log });
  await peer.step('populate', ['populate.mjs'], `database ${database} populated`);

  const url = `http://127.0.0.1:${port}`;
  try {
    // Both start at once; each is waited for.
    await Promise.all([
      peer.start('server', ['server.mjs'], async () => (await fetch(`${url}/health`)).ok),
      peer.start('worker', ['worker.mjs'], async (output) => output.includes('vendure worker started')),
    ]);
  } catch (error) {
    await peer.stop();
    throw error;
  }

  const variants = new Map(
    (
      await peer.query<{ id: number; sku: string }>(
        'select id, sku from product_variant where "deletedAt" is null',
      )
    ).map((row) => [row.sku, String(row.id)]),
  );
  const variantOf = (line: CartLine) => variants.get(catalog[line.index]!.sku)!;
  const hotVariant = variants.get(catalog.at(-1)!.sku)!;
  const client = new JsonClient(url);
  const version = peer.version('@vendure/core');

  return {
    name: 'Vendure',
    describe:
      `Vendure ${version} (\`@vendure/core\`): server and its default worker (\`DefaultJobQueuePlugin\`, jobs in ` +
      'PostgreSQL), two processes, database pool 10 each; schema from its entities, catalog loaded by `populate()` ' +
      '(one variant a product, stock tracked); the dummy payment handler settling at once; Shop API, guest ' +
      'sessions by bearer token',
    processes: () => peer.pids(),
    async checkout(lines, buyer): Promise<CheckoutOutcome> {
      let token: string | undefined;
      const call = async (query: string, variables: Record<string, unknown> = {}) => {
        const res = await client.send(
          'POST',
          '/shop-api',
          { query, variables },
          token ? { authorization: `Bearer ${token}` } : {},
        );
        const issued = res.headers['vendure-auth-token'];
        if (typeof issued === 'string') token = issued;
        const answer = res.body as GraphqlAnswer;
        if (res.status !== 200 || answer.errors?.length || !answer.data) {
          throw new Error(`HTTP ${res.status} ${JSON.stringify(answer.errors ?? answer).slice(0, 200)}`);
        }
        return answer.data;
      };
      const refused = (result: { __typename?: string; errorCode?: string; message?: string } | undefined) =>
        result?.errorCode ? `${result.errorCode}: ${result.message}` : undefined;
      try {
        for (const line of lines) {
          const added = (await call(ADD_ITEM, { variant: variantOf(line), quantity: line.quantity }))
            .addItemToOrder;
          if (refused(added)) return { ok: false, refusal: refused(added)! };
        }
        const customer = (
          await call(SET_CUSTOMER, {
            input: {
              emailAddress: `bench-${buyer}@example.test`,
              firstName: 'Bench',
              lastName: `Shopper ${buyer}`,
            },
          })
        ).setCustomerForOrder;
        if (refused(customer)) return { ok: false, refusal: refused(customer)! };
        await call(SET_ADDRESS, {
          input: {
            fullName: `Bench Shopper ${buyer}`,
            streetLine1: 'Hauptstraße 1',
            city: 'Berlin',
            postalCode: '10115',
            countryCode: 'DE',
          },
        });
        const methods = (await call(SHIPPING_METHODS)).eligibleShippingMethods as unknown as { id: string }[];
        await call(SET_SHIPPING, { ids: [methods[0]!.id] });
        const arranging = (await call(TO_PAYMENT)).transitionOrderToState;
        if (refused(arranging)) return { ok: false, refusal: refused(arranging)! };
        const paid = (await call(ADD_PAYMENT, { input: { method: 'bench-payment', metadata: {} } }))
          .addPaymentToOrder;
        if (refused(paid)) return { ok: false, refusal: refused(paid)! };
        return paid?.state === 'PaymentSettled'
          ? { ok: true }
          : { ok: false, refusal: `order ${paid?.state ?? 'missing'} after payment` };
      } catch (error) {
        return { ok: false, refusal: (error as Error).message };
      }
    },
    hotProduct: () =>
      peer.hotProduct<{ onHand: number; allocated: number }>(
        hotVariant,
        `select sum(ol.quantity) as units from order_line ol join "order" o on o.id = ol."orderId"
          where ol."productVariantId" = $1 and o.state in ('PaymentAuthorized', 'PaymentSettled')`,
        `select sum("stockOnHand")::int as "onHand", sum("stockAllocated")::int as allocated
           from stock_level where "productVariantId" = $1`,
        (stock) => `stockOnHand ${stock?.onHand}, stockAllocated ${stock?.allocated}`,
      ),
    async stop() {
      client.close();
      await peer.stop();
    },
  };
}
