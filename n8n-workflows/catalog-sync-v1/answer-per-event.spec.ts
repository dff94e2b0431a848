import { describe, expect, it } from 'vitest';
import {
  categoriesRead,
  categoryEvent,
  deletedAfter,
  node,
  productEvent,
  response,
  verified,
  type TestEvent,
} from './catalog-batch.fixture';
import type { Item } from '../src/testing/code-node';

const planWrites = node('Plan writes');
const planTheRest = node('Plan the rest');
const answerPerEvent = node('Answer per event');

/**
 * The flow from the signature check to its answer, with Directus answering each write request
 * through `directus(request)` (the category writes included).
 */
async function answer(
  events: unknown[],
  directus: (request: { path: string; body: { id: string; version: number }[] }) => Item,
) {
  const nodes: Record<string, Item[]> = { 'Verify signature': await verified(events as TestEvent[]) };
  nodes['Plan writes'] = await planWrites({ input: categoriesRead([]), nodes });
  const { writeCategories } = nodes['Plan writes'][0]!.json;
  if (writeCategories) nodes['Write categories'] = [directus(writeCategories)];
  nodes['Plan the rest'] = await planTheRest({ input: nodes['Plan writes'], nodes });
  const writes = nodes['Plan the rest'].filter((item) => item.json.write);
  if (writes.length) nodes['Write to Directus'] = writes.map((item) => directus(item.json as never));
  const [output] = await answerPerEvent({
    input: nodes['Write to Directus'] ?? nodes['Plan the rest'],
    nodes,
  });
  return output!.json.results as { id: string; status: string; error?: string }[];
}

/** Directus as the version fence leaves it: each row read back at `versionOf(row)`, or no row. */
const directusHolding =
  (versionOf: (row: { id: string; version: number }) => number | null) =>
  (request: { body: { id: string; version: number }[] }) =>
    response(200, {
      data: request.body.flatMap((row) => {
        const version = versionOf(row);
        return version === null ? [] : [{ id: row.id, version }];
      }),
    });

describe('Answer per event', () => {
  it('answers applied, stale or failed from the rows Directus read back', async () => {
    const applied = productEvent();
    const newer = productEvent();
    const refused = productEvent();
    const behind = productEvent({}, { version: 3 });
    const results = await answer(
      [applied, newer, refused, behind],
      directusHolding((row) =>
        row.id === newer.aggregate.id
          ? 9
          : row.id === refused.aggregate.id
            ? null
            : row.id === behind.aggregate.id
              ? 2
              : row.version,
      ),
    );
    expect(results).toEqual([
      { id: applied.id, status: 'applied' },
      { id: newer.id, status: 'stale' },
      { id: refused.id, status: 'stale' },
      { id: behind.id, status: 'failed', error: 'Directus holds version 2 after the write' },
    ]);
  });

  it('judges tombstones and category writes the same way', async () => {
    const category = categoryEvent();
    const removed = deletedAfter(productEvent());
    const results = await answer(
      [category, removed],
      directusHolding((row) => row.version),
    );
    expect(results).toEqual([
      { id: category.id, status: 'applied' },
      { id: removed.id, status: 'applied' },
    ]);
  });

  it('answers in the order of the batch, stale and invalid events included', async () => {
    const old = productEvent();
    const current = productEvent({}, { id: old.aggregate.id, version: 2 });
    const invalid = { ...productEvent(), type: 'product.renamed' };
    const results = await answer(
      [invalid, old, current],
      directusHolding((row) => row.version),
    );
    expect(results).toEqual([
      { id: old.id, status: 'stale' },
      { id: current.id, status: 'applied' },
      { id: invalid.id, status: 'failed', error: 'not a valid catalog event (schemaVersion 1)' },
    ]);
  });

  it('fails the events of a request Directus refused, and only those', async () => {
    const products = Array.from({ length: 101 }, () => productEvent());
    const results = await answer(products, (request) =>
      request.body.length === 1
        ? response(400, { errors: [{ message: 'Invalid payload' }] })
        : directusHolding((row) => row.version)(request),
    );
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toBe('Invalid payload');
    expect(results.filter((result) => result.status === 'applied')).toHaveLength(100);
  });

  it('fails the run when Directus answers a write with a 5xx', async () => {
    await expect(answer([productEvent()], () => response(502, null))).rejects.toThrow(
      /Directus answered 502 to POST \/items\/products/,
    );
  });
});
