import { describe, expect, it } from 'vitest';
import { decideOrders, type LockedStock, type PendingOrder } from './order-decision';

const stockOf = (...rows: LockedStock[]) => new Map(rows.map((row) => [row.id, row]));
const at = (ms: number) => new Date(Date.UTC(2026, 10, 22, 0, 0, 0, ms));
const order = (id: string, ms: number, lines: [string, number][]): PendingOrder => ({
  id,
  createdAt: at(ms),
  lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })),
});

describe('decideOrders', () => {
  it('confirms the oldest orders first and fails the rest once stock runs out', () => {
    const result = decideOrders(
      [order('c', 3, [['p', 2]]), order('a', 1, [['p', 2]]), order('b', 2, [['p', 2]])],
      stockOf({ id: 'p', stock: 5, sellable: true }),
    );
    expect(result.decisions).toEqual([
      { orderId: 'a', status: 'confirmed' },
      { orderId: 'b', status: 'confirmed' },
      { orderId: 'c', status: 'failed', reason: 'out_of_stock' },
    ]);
    expect(result.taken).toEqual(new Map([['p', 4]]));
  });

  it('takes nothing for an order with one line short, and a later smaller order can still fit', () => {
    const result = decideOrders(
      [
        order('big', 1, [
          ['p', 1],
          ['q', 4],
        ]),
        order('small', 2, [
          ['p', 1],
          ['q', 3],
        ]),
      ],
      stockOf({ id: 'p', stock: 1, sellable: true }, { id: 'q', stock: 3, sellable: true }),
    );
    expect(result.decisions).toEqual([
      { orderId: 'big', status: 'failed', reason: 'out_of_stock' },
      { orderId: 'small', status: 'confirmed' },
    ]);
    expect(result.taken).toEqual(
      new Map([
        ['p', 1],
        ['q', 3],
      ]),
    );
  });

  it('fails an order on an unsellable or missing product as product_unavailable, before stock', () => {
    const result = decideOrders(
      [order('a', 1, [['gone', 1]]), order('b', 2, [['missing', 1]]), order('c', 3, [['ok', 99]])],
      stockOf({ id: 'gone', stock: 50, sellable: false }, { id: 'ok', stock: 1, sellable: true }),
    );
    expect(result.decisions.map((d) => (d.status === 'failed' ? d.reason : d.status))).toEqual([
      'product_unavailable',
      'product_unavailable',
      'out_of_stock',
    ]);
    expect(result.taken.size).toBe(0);
  });

  it('adds up repeated lines of one product and never lets stock go below zero', () => {
    const result = decideOrders(
      [
        order('a', 1, [
          ['p', 3],
          ['p', 3],
        ]),
        order('b', 2, [['p', 4]]),
      ],
      stockOf({ id: 'p', stock: 10, sellable: true }),
    );
    expect(result.decisions.every((d) => d.status === 'confirmed')).toBe(true);
    expect(result.taken.get('p')).toBe(10);
  });

  it('fails an order without lines instead of confirming it for free', () => {
    const result = decideOrders([order('empty', 1, [])], stockOf());
    expect(result.decisions).toEqual([{ orderId: 'empty', status: 'failed', reason: 'processing_failed' }]);
  });
});
