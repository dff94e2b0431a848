import { describe, expect, it } from 'vitest';
import {
  answeringAt,
  catalogSync,
  catalogSyncVersions,
  deletedAfter,
  holding,
  response,
  takingAll,
} from './catalog-batch.fixture';

describe.each(catalogSyncVersions)('catalog-sync v%i: Answer per event', (version) => {
  const { productEvent, categoryEvent, run } = catalogSync(version);
  /** Answers only a product's own write: its variants (from v2 on) come back at the version written. */
  const products = (versionOf: (id: string, written: number) => number | null) =>
    answeringAt(
      '/items/products',
      holding((row) => versionOf(row.id, row.version)),
    );

  it('answers applied, stale or failed from the rows Directus read back', async () => {
    const applied = productEvent();
    const newer = productEvent();
    const refused = productEvent();
    const behind = productEvent({}, { version: 3 });
    const { results } = await run([applied, newer, refused, behind], {
      directus: products((id, written) =>
        id === newer.aggregate.id
          ? 9
          : id === refused.aggregate.id
            ? null
            : id === behind.aggregate.id
              ? 2
              : written,
      ),
    });
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
    const { results } = await run([category, removed]);
    expect(results).toEqual([
      { id: category.id, status: 'applied' },
      { id: removed.id, status: 'applied' },
    ]);
  });

  it('answers in the order of the batch, stale and invalid events included', async () => {
    const old = productEvent();
    const current = productEvent({}, { id: old.aggregate.id, version: 2 });
    const invalid = { ...productEvent(), type: 'product.renamed' };
    const { results } = await run([invalid, old, current]);
    expect(results).toEqual([
      { id: old.id, status: 'stale' },
      { id: current.id, status: 'applied' },
      { id: invalid.id, status: 'failed', error: `not a valid catalog event (schemaVersion ${version})` },
    ]);
  });

  it('fails the events of a request Directus refused, and only those', async () => {
    const batch = Array.from({ length: 101 }, () => productEvent());
    const { results } = await run(batch, {
      directus: answeringAt('/items/products', (request) =>
        request.body.length === 1
          ? response(400, { errors: [{ message: 'Invalid payload' }] })
          : takingAll(request),
      ),
    });
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toBe('Invalid payload');
    expect(results.filter((result) => result.status === 'applied')).toHaveLength(100);
  });

  it('fails the run when Directus answers a write with a 5xx', async () => {
    await expect(run([productEvent()], { directus: () => response(502, null) })).rejects.toThrow(
      /Directus answered 502 to POST \/items\/products/,
    );
  });
});
