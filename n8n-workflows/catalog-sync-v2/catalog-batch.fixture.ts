import { randomUUID } from 'node:crypto';
import { webhookHeaders } from '../../worker/src/sync/webhook-signature';
import { codeNode, type Item } from '../src/testing/code-node';

/** The Code nodes of catalog-sync v2, as n8n runs them. */
export const node = (name: string) => codeNode('catalog-sync-v2.json', name);

export const secret = 'whsec_dGhlIGZsb3cncyB0ZXN0IHNlY3JldA==';

export interface TestVariant {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number;
  stock: number;
  version: number;
  sort: number;
}

export interface TestEvent {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  aggregate: { type: string; id: string; version: number };
  data: Record<string, unknown>;
}

export const options = [{ name: 'Weight', values: ['250 g', '1 kg'] }];

/** A variant of a product (the first value of Weight unless told), changed at `version`. */
export function variant(overrides: Partial<TestVariant> = {}): TestVariant {
  return {
    id: randomUUID(),
    sku: 'KOPI-001-250',
    optionValues: { Weight: '250 g' },
    priceCents: 48_000,
    stock: 7,
    version: 1,
    sort: 0,
    ...overrides,
  };
}

/**
 * A product.upserted event (schemaVersion 2) of a new product, or of `id` at `version`, with
 * the Weight option and `variants` (one of 250 g unless told).
 */
export function productEvent(
  data: Record<string, unknown> = {},
  aggregate: { id?: string; version?: number } = {},
): TestEvent {
  return {
    id: randomUUID(),
    type: 'product.upserted',
    schemaVersion: 2,
    occurredAt: new Date().toISOString(),
    aggregate: { type: 'product', id: aggregate.id ?? randomUUID(), version: aggregate.version ?? 1 },
    data: {
      sku: 'KOPI-001',
      name: 'Kopi Toraja',
      slug: 'kopi-toraja',
      priceCents: 48_000,
      currency: 'IDR',
      stock: 7,
      status: 'published',
      categoryId: null,
      options,
      variants: [variant()],
      ...data,
    },
  };
}

/** A category.upserted event. */
export function categoryEvent(
  data: Record<string, unknown> = {},
  aggregate: { id?: string; version?: number } = {},
): TestEvent {
  return {
    ...productEvent({}, aggregate),
    type: 'category.upserted',
    aggregate: { type: 'category', id: aggregate.id ?? randomUUID(), version: aggregate.version ?? 1 },
    data: { name: 'Kopi', slug: 'kopi', parentId: null, ...data },
  };
}

/** The delete of an event's aggregate, one version later. */
export function deletedAfter(event: TestEvent): TestEvent {
  return {
    ...event,
    id: randomUUID(),
    type: event.type.replace('upserted', 'deleted'),
    aggregate: { ...event.aggregate, version: event.aggregate.version + 1 },
    data: {},
  };
}

/** The item the webhook node hands on: the headers and the raw body as binary data. */
export function webhookItem(body: string, headers: Record<string, string>): Item {
  return {
    json: { headers: { ...headers, 'x-request-id': 'req-1' }, body: {} },
    binary: { data: { data: Buffer.from(body).toString('base64'), mimeType: 'application/json' } },
  };
}

/** A batch signed as the worker signs it, at `now`. */
export function signedBatch(events: unknown[], now = Date.now()): Item {
  const body = JSON.stringify({ events });
  return webhookItem(body, webhookHeaders(secret, randomUUID(), body, now));
}

/** The output of "Verify signature" for a signed batch of these events. */
export async function verified(events: TestEvent[]): Promise<Item[]> {
  return node('Verify signature')({ input: [signedBatch(events)], env: { LAPAK_WEBHOOK_SECRET: secret } });
}

/**
 * What Directus answers the read: the categories it holds, the variants it holds of the batch's
 * products (`variants`: variant id → its product and version) and the products it holds, in
 * the first read of each.
 */
export const directusRead = (
  categories: string[],
  variants: Record<string, { product: string; version: number }> = {},
  products: string[] = [],
): Item[] => [
  {
    json: {
      data: {
        categories: categories.map((id) => ({ id })),
        v0: Object.entries(variants).map(([id, held]) => ({ id, ...held })),
        h0: products.map((id) => ({ id })),
      },
    },
  },
];

/** An HTTP Request node's full response (the flow's write nodes never error). */
export const response = (statusCode: number, body: unknown): Item => ({ json: { statusCode, body } });
