import { describe, expect, it } from 'vitest';
import { orderCreateSchema } from './orders';

const id = '0d9a3f2e-1b2c-4d5e-8f90-abcdef012345';

describe('orderCreateSchema', () => {
  it('refuses a product named on two lines, whatever the letter case of its id', () => {
    for (const second of [id, id.toUpperCase()]) {
      const result = orderCreateSchema.safeParse({
        items: [
          { productId: id, quantity: 1 },
          { productId: second, quantity: 2 },
        ],
      });
      expect(result.error?.issues, second).toEqual([
        expect.objectContaining({
          path: ['items', 1, 'productId'],
          message: 'appears more than once; put the whole quantity on one line',
        }),
      ]);
    }
  });

  it('gives product ids back in lower case', () => {
    const order = orderCreateSchema.parse({ items: [{ productId: id.toUpperCase(), quantity: 1 }] });
    expect(order.items).toEqual([{ productId: id, quantity: 1 }]);
  });
});
