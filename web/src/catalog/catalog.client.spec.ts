import { describe, expect, it } from 'vitest';
import { CatalogClient, CatalogError } from './catalog.client';

function fakeDirectus(respond: (url: URL) => unknown, status = 200) {
  const requests: URL[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    requests.push(url);
    return new Response(JSON.stringify(respond(url)), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
  return { client: new CatalogClient('https://cms.example.com', fetchImpl), requests };
}

const json = (url: URL, name: string) => JSON.parse(url.searchParams.get(name) ?? 'null');

describe('CatalogClient.products', () => {
  it('asks for one page of published products with the filter, search and sort, and counts them', async () => {
    const item = { id: 'p1', name: 'Mug', slug: 'mug', price_cents: 900, currency: 'EUR', stock: 3 };
    const { client, requests } = fakeDirectus((url) =>
      url.searchParams.has('aggregate') ? { data: [{ count: '41' }] } : { data: [item] },
    );

    const page = await client.products({
      q: ' mug ',
      categoryIds: ['c1', 'c2'],
      sort: 'price-asc',
      page: 3,
      pageSize: 12,
    });

    expect(page).toEqual({ items: [item], total: 41 });
    const list = requests.find((url) => !url.searchParams.has('aggregate'))!;
    expect(list.pathname).toBe('/items/products');
    expect(json(list, 'filter')).toEqual({ status: { _eq: 'published' }, category: { _in: ['c1', 'c2'] } });
    expect(list.searchParams.get('search')).toBe('mug');
    expect(list.searchParams.get('sort')).toBe('price_cents,id');
    expect(list.searchParams.get('limit')).toBe('12');
    expect(list.searchParams.get('page')).toBe('3');
    expect(list.searchParams.get('fields')).toContain('images.directus_files_id.id');
    expect(json(list, 'deep')).toEqual({ images: { _sort: ['sort', 'id'], _limit: 1 } });

    const count = requests.find((url) => url.searchParams.has('aggregate'))!;
    expect(count.pathname).toBe('/items/products');
    expect(json(count, 'aggregate')).toEqual({ count: '*' });
    expect(json(count, 'filter')).toEqual(json(list, 'filter'));
    expect(count.searchParams.get('search')).toBe('mug');
  });

  it('leaves out search and category when none are chosen', async () => {
    const { client, requests } = fakeDirectus(() => ({ data: [] }));
    const page = await client.products({ sort: 'newest', page: 1, pageSize: 12 });
    expect(page).toEqual({ items: [], total: 0 });
    expect(requests[0]!.searchParams.has('search')).toBe(false);
    expect(json(requests[0]!, 'filter')).toEqual({ status: { _eq: 'published' } });
    expect(requests[0]!.searchParams.get('sort')).toBe('-id,id');
  });
});

describe('CatalogClient.productBySlug', () => {
  it('finds the published product with that slug, or null', async () => {
    const { client, requests } = fakeDirectus((url) =>
      json(url, 'filter').slug._eq === 'mug' ? { data: [{ id: 'p1', slug: 'mug' }] } : { data: [] },
    );
    expect(await client.productBySlug('mug')).toEqual({ id: 'p1', slug: 'mug' });
    expect(await client.productBySlug('nope')).toBeNull();
    expect(requests[0]!.searchParams.get('fields')).toContain('description');
    expect(requests[0]!.searchParams.get('fields')).toContain('category.name');
  });

  it('reads the options and the variants in the admin’s order, each with its own photo', async () => {
    const { client, requests } = fakeDirectus(() => ({ data: [] }));
    await client.productBySlug('kopi');
    const fields = requests[0]!.searchParams.get('fields')!.split(',');
    expect(fields).toEqual(
      expect.arrayContaining([
        'options',
        'variants.id',
        'variants.sku',
        'variants.option_values',
        'variants.price_cents',
        'variants.stock',
        'variants.image.id',
        'variants.image.width',
      ]),
    );
    expect(json(requests[0]!, 'deep').variants).toEqual({ _sort: ['sort', 'id'], _limit: 100 });
  });
});

describe('CatalogClient errors', () => {
  it('turns a Directus error into words for the shopper', async () => {
    const { client } = fakeDirectus(() => ({ errors: [{ message: 'boom' }] }), 503);
    const error = await client.categories().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toBe('The catalog is busy right now. Please try again in a moment.');
  });

  it('says so when Directus cannot be reached', async () => {
    const client = new CatalogClient('https://cms.example.com', (() =>
      Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch);
    await expect(client.productsById(['p1'])).rejects.toThrow(/cannot be reached/);
  });

  it('reads a cart’s products with the price, stock and photo of each of their variants', async () => {
    const { client, requests } = fakeDirectus(() => ({ data: [] }));
    await client.productsById(['p1', 'p2']);
    const fields = requests[0]!.searchParams.get('fields')!.split(',');
    expect(fields).toEqual(
      expect.arrayContaining([
        'sku',
        'variants.id',
        'variants.option_values',
        'variants.price_cents',
        'variants.stock',
        'variants.image.id',
      ]),
    );
    expect(json(requests[0]!, 'filter')).toEqual({ status: { _eq: 'published' }, id: { _in: ['p1', 'p2'] } });
  });

  it('asks nothing for an empty cart', async () => {
    const { client, requests } = fakeDirectus(() => ({ data: [] }));
    expect(await client.productsById([])).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});
