import { randomUUID } from 'node:crypto';
import type { ProductSyncRow } from '@lapak/core';
import { secret, signedBatch } from '../shared/signed-batch.fixture';
import { codeNode, type Item } from '../src/testing/code-node';

/** The versions of catalog-sync, each a flow and the event schema version it takes. */
export const catalogSyncVersions = [1, 2] as const;
export type CatalogSyncVersion = (typeof catalogSyncVersions)[number];

/** A variant as a product.upserted event carries it (schema version 2). */
export type TestVariant = NonNullable<ProductSyncRow['variants']>[number];

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

/**
 * What Directus answers the read: the categories it holds, the variants it holds of the batch's
 * products (`variants`: variant id → its product and version) and the products it holds, in
 * the first read of each (catalog-sync v1 reads the categories only).
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

export type Row = { id: string; version: number; collection?: string; item?: string } & Record<
  string,
  unknown
>;
export type WriteRequest = { method: string; path: string; body: Row[]; events: string[] };
export type Result = { id: string; status: string; error?: string };

/** Directus as the version fence leaves it: each row read back at `versionOf(row)`, or no row. */
export const holding =
  (versionOf: (row: Row, request: WriteRequest) => number | null) =>
  (request: WriteRequest): Item =>
    response(200, {
      data: request.body.flatMap((row) => {
        const version = versionOf(row, request);
        return version === null ? [] : [{ id: row.id, version }];
      }),
    });

/** Directus taking every write: each row read back at the version written. */
export const takingAll = holding((row) => row.version);

/** Directus answering the writes to `path` (the start of theirs) with `answer`, taking every other. */
export const answeringAt =
  (path: string, answer: (request: WriteRequest) => Item) =>
  (request: WriteRequest): Item =>
    request.path.startsWith(path) ? answer(request) : takingAll(request);

/**
 * catalog-sync v`version`: its Code nodes as n8n runs them, events of its schema version, and the
 * flow from the signature check to its answer.
 */
export function catalogSync(version: CatalogSyncVersion) {
  const nodes = new Map<string, ReturnType<typeof codeNode>>();
  const node = (name: string) => {
    if (!nodes.has(name)) nodes.set(name, codeNode(`catalog-sync-v${version}.json`, name));
    return nodes.get(name)!;
  };

  /**
   * A product.upserted event of a new product, or of `id` at `version`; from schema version 2 on
   * with the Weight option and `variants` (one of 250 g unless told).
   */
  const productEvent = (
    data: Record<string, unknown> = {},
    aggregate: { id?: string; version?: number } = {},
  ): TestEvent => ({
    id: randomUUID(),
    type: 'product.upserted',
    schemaVersion: version,
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
      ...(version >= 2 ? { options, variants: [variant()] } : {}),
      ...data,
    },
  });

  /** A category.upserted event. */
  const categoryEvent = (
    data: Record<string, unknown> = {},
    aggregate: { id?: string; version?: number } = {},
  ): TestEvent => ({
    ...productEvent({}, aggregate),
    type: 'category.upserted',
    aggregate: { type: 'category', id: aggregate.id ?? randomUUID(), version: aggregate.version ?? 1 },
    data: { name: 'Kopi', slug: 'kopi', parentId: null, ...data },
  });

  /** The output of "Verify signature" for a signed batch of these events. */
  const verified = (events: unknown[]) =>
    node('Verify signature')({ input: [signedBatch(events)], env: { LAPAK_WEBHOOK_SECRET: secret } });

  /**
   * The flow from the signature check to its answer, with Directus holding what `read` says and
   * answering each write request through `directus` (the category writes included). Returns the
   * answer's results, the write requests in the order sent, and each node's output.
   */
  async function run(
    events: unknown[],
    {
      directus = takingAll,
      read = directusRead([]),
    }: { directus?: (request: WriteRequest) => Item; read?: Item[] } = {},
  ) {
    const sent: WriteRequest[] = [];
    const send = (request: WriteRequest) => {
      sent.push(request);
      return directus(request);
    };
    const outputs: Record<string, Item[]> = { 'Verify signature': await verified(events) };
    const runNode = async (name: string, input: Item[] = []) => {
      outputs[name] = await node(name)({ input, nodes: outputs });
      return outputs[name];
    };
    const [plan] = await runNode('Plan writes', read);
    if (plan!.json.writeCategories) outputs['Write categories'] = [send(plan!.json.writeCategories)];
    const writes = (await runNode('Plan the rest', [plan!])).filter((item) => item.json.write);
    if (writes.length) {
      outputs['Write to Directus'] = writes.map((item) => send(item.json as WriteRequest));
      if (version >= 2) {
        const variantWrites = (await runNode('Plan variants')).filter((item) => item.json.write);
        if (variantWrites.length)
          outputs['Write variants'] = variantWrites.map((item) => send(item.json as WriteRequest));
      }
    }
    const [answer] = await runNode('Answer per event');
    return { results: answer!.json.results as Result[], sent, outputs };
  }

  return { version, node, productEvent, categoryEvent, verified, run };
}
