import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeCategory, makeProduct, productCreateBody, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

const { adminToken, customerToken } = userTokens(env);

/** The catalog events of one aggregate, in order. */
async function outboxFor(id: string) {
  const { rows } = await sql<{ type: string; aggregate_version: number; payload: Record<string, unknown> }>`
    select type, aggregate_version, payload from outbox_events
     where aggregate_id = ${id} and type like any (array['product.%', 'category.%']) order by seq
  `.execute(env.db());
  return rows;
}

async function counts() {
  const { rows } = await sql<{ products: number; outbox: number }>`
    select (select count(*)::int from products) as products, (select count(*)::int from outbox_events) as outbox
  `.execute(env.db());
  return rows[0]!;
}

describe('products: writes', () => {
  it('creates a product (version 1) with its product.upserted event', async () => {
    const token = await adminToken();
    const category = await makeCategory(env.orm.em.fork());
    const input = productCreateBody({ name: 'Kopi Gayo Wine', categoryId: category.id, status: 'published' });
    const res = await api.request('POST', '/api/v1/products', { token, body: input });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      ...input,
      slug: 'kopi-gayo-wine',
      options: [],
      variants: [
        {
          id: expect.any(String),
          sku: input.sku,
          optionValues: {},
          priceCents: input.priceCents,
          stock: input.stock,
          version: 1,
        },
      ],
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await outboxFor(res.body.id)).toEqual([
      {
        type: 'product.upserted',
        aggregate_version: 1,
        payload: {
          sku: input.sku,
          name: 'Kopi Gayo Wine',
          slug: 'kopi-gayo-wine',
          priceCents: input.priceCents,
          currency: input.currency,
          stock: input.stock,
          status: 'published',
          categoryId: category.id,
          options: [],
          variants: [{ ...res.body.variants[0], sort: 0 }],
        },
      },
    ]);
    const draft = await api.request('POST', '/api/v1/products', {
      token,
      body: productCreateBody({ name: 'Teh' }),
    });
    expect(draft.body.status).toBe('draft');

    // The same name again gets a slug with the sku added rather than a conflict.
    const twin = productCreateBody({ name: 'Kopi Gayo Wine' });
    const second = await api.request('POST', '/api/v1/products', { token, body: twin });
    expect(second.status).toBe(201);
    expect(second.body.slug).toBe(`kopi-gayo-wine-${twin.sku.toLowerCase()}`);
  });

  it('refuses a taken sku or slug with 409 and an unknown category with 400, writing nothing', async () => {
    const token = await adminToken();
    const existing = await makeProduct(env.orm.em.fork());
    const before = await counts();
    const sku = await api.request('POST', '/api/v1/products', {
      token,
      body: productCreateBody({ sku: existing.sku }),
    });
    expect(sku.status).toBe(409);
    expect(sku.body.error).toMatchObject({ code: 'conflict', details: { sku: 'already taken' } });
    const slug = await api.request('POST', '/api/v1/products', {
      token,
      body: productCreateBody({ slug: existing.slug }),
    });
    expect(slug.status).toBe(409);
    expect(slug.body.error.details).toEqual({ slug: 'already taken' });
    const category = await api.request('POST', '/api/v1/products', {
      token,
      body: productCreateBody({ categoryId: randomUUID() }),
    });
    expect(category.status).toBe(400);
    expect(category.body.error.details).toEqual({ categoryId: 'no such category' });
    expect(await counts()).toEqual(before);
  });

  it('replaces, patches and soft-deletes with version + 1 and one event per change', async () => {
    const token = await adminToken();
    const { body: created } = await api.request('POST', '/api/v1/products', {
      token,
      body: productCreateBody(),
    });
    const path = `/api/v1/products/${created.id}`;

    const replacement = productCreateBody({ name: 'Teh Tarik', status: 'published', stock: 3 });
    const put = await api.request('PUT', path, { token, body: replacement });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...replacement, slug: 'teh-tarik', categoryId: null, version: 2 });

    const patch = await api.request('PATCH', path, { token, body: { priceCents: 5000 } });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Teh Tarik', slug: 'teh-tarik', priceCents: 5000, version: 3 });

    const del = await api.request('DELETE', path, { token });
    expect(del.status).toBe(204);
    expect((await api.request('GET', path, { token })).status).toBe(404);
    expect((await api.request('PATCH', path, { token, body: { stock: 1 } })).status).toBe(404);
    expect((await api.request('DELETE', path, { token })).status).toBe(404);

    const events = await outboxFor(created.id);
    expect(events.map((e) => [e.type, e.aggregate_version])).toEqual([
      ['product.upserted', 1],
      ['product.upserted', 2],
      ['product.upserted', 3],
      ['product.deleted', 4],
    ]);
    expect(events[2]!.payload).toMatchObject({ priceCents: 5000, name: 'Teh Tarik' });

    // A deleted product's sku and slug are free again.
    const again = await api.request('POST', '/api/v1/products', {
      token,
      body: { ...replacement, slug: 'teh-tarik' },
    });
    expect(again.status).toBe(201);
  });

  it('gives every concurrent change its own version and its own event', async () => {
    const token = await adminToken();
    const product = await makeProduct(env.orm.em.fork());
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('PATCH', `/api/v1/products/${product.id}`, { token, body: { stock: i } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(responses.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    const events = await outboxFor(product.id);
    expect(events.map((e) => e.aggregate_version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('leaves no outbox row when a change rolls back, and the change itself is gone too', async () => {
    const token = await adminToken();
    const product = await makeProduct(env.orm.em.fork(), { name: 'Before' });
    // Make the outbox insert fail for one marked change, after the product row was written.
    await sql`
      create function fail_marked_event() returns trigger language plpgsql as $$
      begin
        if new.payload->>'name' = 'roll me back' then raise exception 'outbox refused'; end if;
        return new;
      end $$
    `.execute(env.db());
    await sql`
      create trigger fail_marked_event before insert on outbox_events
        for each row execute function fail_marked_event()
    `.execute(env.db());
    try {
      const before = await counts();
      const created = await api.request('POST', '/api/v1/products', {
        token,
        body: productCreateBody({ name: 'roll me back' }),
      });
      expect(created.status).toBe(500);
      expect(created.body.error.code).toBe('internal');
      expect(created.text).not.toMatch(/outbox refused|insert into/);
      const patched = await api.request('PATCH', `/api/v1/products/${product.id}`, {
        token,
        body: { name: 'roll me back' },
      });
      expect(patched.status).toBe(500);
      expect(await counts()).toEqual(before);
      const { rows } = await sql<{ name: string; version: number }>`
        select name, version from products where id = ${product.id}
      `.execute(env.db());
      expect(rows).toEqual([{ name: 'Before', version: 1 }]);

      const committed = await api.request('PATCH', `/api/v1/products/${product.id}`, {
        token,
        body: { name: 'After' },
      });
      expect(committed.status).toBe(200);
      expect((await outboxFor(product.id)).map((e) => [e.aggregate_version, e.payload.name])).toEqual([
        [2, 'After'],
      ]);
    } finally {
      await sql`drop trigger fail_marked_event on outbox_events`.execute(env.db());
      await sql`drop function fail_marked_event()`.execute(env.db());
    }
  });
});

describe('products: reads', () => {
  it('shows drafts and archived products to admins only', async () => {
    const em = env.orm.em.fork();
    const draft = await makeProduct(em, { status: 'draft' });
    const archived = await makeProduct(em, { status: 'archived' });
    const published = await makeProduct(em, { status: 'published' });
    const customer = await customerToken();
    const admin = await adminToken();

    for (const token of [undefined, customer]) {
      expect((await api.request('GET', `/api/v1/products/${draft.id}`, { token })).status).toBe(404);
      expect((await api.request('GET', `/api/v1/products/${archived.id}`, { token })).status).toBe(404);
      expect((await api.request('GET', `/api/v1/products/${published.id}`, { token })).status).toBe(200);
      const list = await api.request('GET', '/api/v1/products?limit=100', { token });
      const ids = list.body.items.map((p: { id: string }) => p.id);
      expect(ids).toContain(published.id);
      expect(ids).not.toContain(draft.id);
      expect(ids).not.toContain(archived.id);
      const drafts = await api.request('GET', '/api/v1/products?status=draft', { token });
      expect(drafts.body.items).toEqual([]);
    }
    expect((await api.request('GET', `/api/v1/products/${draft.id}`, { token: admin })).body.status).toBe(
      'draft',
    );
    const drafts = await api.request('GET', '/api/v1/products?status=draft&limit=100', { token: admin });
    expect(drafts.body.items.map((p: { id: string }) => p.id)).toContain(draft.id);
    expect(drafts.body.items.every((p: { status: string }) => p.status === 'draft')).toBe(true);
  });

  it('pages by cursor and filters by category and by text in the name or sku', async () => {
    const em = env.orm.em.fork();
    const category = await makeCategory(em);
    const tag = randomUUID().slice(0, 6);
    const a = await makeProduct(em, { name: `Sambal Matah ${tag}`, categoryId: category.id });
    const b = await makeProduct(em, { name: `Sambal Ijo ${tag}`, categoryId: category.id });
    const c = await makeProduct(em, { sku: `RENDANG-${tag}`, name: 'Rendang', categoryId: category.id });
    await makeProduct(em, { name: `Sambal elsewhere ${tag}` });

    const page1 = await api.request('GET', `/api/v1/products?categoryId=${category.id}&limit=2`);
    expect(page1.body.items.map((p: { id: string }) => p.id)).toEqual([a.id, b.id]);
    const page2 = await api.request(
      'GET',
      `/api/v1/products?categoryId=${category.id}&limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ items: [{ id: c.id }], nextCursor: null });

    const sambal = await api.request(
      'GET',
      `/api/v1/products?q=${encodeURIComponent(`SAMBAL`)}&categoryId=${category.id}`,
    );
    expect(sambal.body.items.map((p: { id: string }) => p.id)).toEqual([a.id, b.id]);
    const bySku = await api.request('GET', `/api/v1/products?q=rendang-${tag}`);
    expect(bySku.body.items.map((p: { id: string }) => p.id)).toEqual([c.id]);
    const wildcard = await api.request('GET', `/api/v1/products?q=${encodeURIComponent('%')}`);
    expect(wildcard.status).toBe(200);
    expect(wildcard.body.items).toEqual([]);
  });
});
