import { describe, expect, it } from 'vitest';
import { type User } from '@lapak/core';
import { makeOrder, makeProduct, makeUser, userTokens, useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const env = useTestEnv();
const api = useTestApi(env);

const { tokenFor } = userTokens(env);

/** Orders of two users at known instants in `year` (oldest first); each test uses its own year. */
async function seed(year: number) {
  const em = env.orm.em.fork();
  const product = await makeProduct(em);
  const alice = await makeUser(em);
  const bob = await makeUser(em);
  const admin = await makeUser(em, { role: 'admin' });
  const at = (iso: string, user: User) =>
    makeOrder(em, { user, lines: [{ product, quantity: 1 }], createdAt: new Date(`${year}-${iso}`) });
  const orders = [
    await at('11-01T09:00:00.000Z', alice),
    await at('11-02T00:00:00.000Z', bob),
    await at('11-02T12:00:00.000Z', alice),
    await at('11-02T23:59:59.999Z', bob),
    await at('11-03T00:00:00.000Z', alice),
  ];
  return { alice, bob, admin, ids: orders.map((order) => order.id) };
}

describe('GET /orders?from=&to=', () => {
  it('gives an admin everyone’s orders created in [from, to), newest first, paginated', async () => {
    const { admin, ids } = await seed(2026);
    const token = await tokenFor(admin);
    const range = 'from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z';

    const first = await api.request('GET', `/api/v1/orders?${range}&limit=2`, { token });
    expect(first.status).toBe(200);
    expect(first.body.items.map((order: { id: string }) => order.id)).toEqual([ids[3], ids[2]]);

    const cursor = encodeURIComponent(first.body.nextCursor);
    const second = await api.request('GET', `/api/v1/orders?${range}&limit=2&cursor=${cursor}`, { token });
    expect(second.body.items.map((order: { id: string }) => order.id)).toEqual([ids[1]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('accepts either bound alone and offsets other than Z', async () => {
    const { admin, ids } = await seed(2025);
    const token = await tokenFor(admin);

    const since = await api.request('GET', '/api/v1/orders?from=2025-11-03T07:00:00%2B07:00', { token });
    expect(since.status).toBe(200);
    expect(since.body.items.map((order: { id: string }) => order.id)).toContain(ids[4]);
    expect(since.body.items.map((order: { id: string }) => order.id)).not.toContain(ids[3]);

    const before = await api.request('GET', '/api/v1/orders?to=2025-11-02T00:00:00Z&status=pending', {
      token,
    });
    expect(before.body.items.map((order: { id: string }) => order.id)).toContain(ids[0]);
    expect(before.body.items.map((order: { id: string }) => order.id)).not.toContain(ids[1]);
  });

  it('keeps a customer to their own orders within the range', async () => {
    const { alice, ids } = await seed(2024);
    const token = await tokenFor(alice);
    const res = await api.request('GET', '/api/v1/orders?from=2024-11-02T00:00:00Z&to=2024-11-04T00:00:00Z', {
      token,
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((order: { id: string }) => order.id)).toEqual([ids[4], ids[2]]);
  });

  it('treats filters sent empty (as form clients do) as absent', async () => {
    const { admin, ids } = await seed(2023);
    const token = await tokenFor(admin);
    const res = await api.request('GET', '/api/v1/orders?status=&from=&to=&cursor=&limit=100', { token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((order: { id: string }) => order.id)).toEqual(expect.arrayContaining(ids));
  });

  it('answers 400 naming the bad bound, for a date that is not ISO 8601 or an empty range', async () => {
    const { admin } = await seed(2022);
    const token = await tokenFor(admin);

    const notADate = await api.request('GET', '/api/v1/orders?from=yesterday', { token });
    expect(notADate.status).toBe(400);
    expect(notADate.body.error.code).toBe('validation_failed');
    expect(notADate.body.error.details).toHaveProperty('from');

    const empty = await api.request(
      'GET',
      '/api/v1/orders?from=2026-11-03T00:00:00Z&to=2026-11-03T00:00:00Z',
      { token },
    );
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual({ to: 'must be later than from' });
  });
});
