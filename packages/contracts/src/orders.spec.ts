import { describe, expect, it } from 'vitest';
import { exampleShippingAddress, orderCreateSchema } from './orders';

const id = '0d9a3f2e-1b2c-4d5e-8f90-abcdef012345';
const shippingAddress = exampleShippingAddress;
const checkout = (items: unknown, more: object = {}) => ({
  items,
  shippingAddress,
  paymentMethod: 'bank_transfer',
  ...more,
});

describe('orderCreateSchema', () => {
  it('refuses a product named on two lines, whatever the letter case of its id', () => {
    for (const second of [id, id.toUpperCase()]) {
      const result = orderCreateSchema.safeParse(
        checkout([
          { productId: id, quantity: 1 },
          { productId: second, quantity: 2 },
        ]),
      );
      expect(result.error?.issues, second).toEqual([
        expect.objectContaining({
          path: ['items', 1, 'productId'],
          message: 'appears more than once; put the whole quantity on one line',
        }),
      ]);
    }
  });

  it('gives product ids back in lower case', () => {
    const order = orderCreateSchema.parse(checkout([{ productId: id.toUpperCase(), quantity: 1 }]));
    expect(order.items).toEqual([{ productId: id, quantity: 1 }]);
  });

  it('names the address and the payment method when a client sends neither', () => {
    const result = orderCreateSchema.safeParse({ items: [{ productId: id, quantity: 1 }] });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'shippingAddress',
      'paymentMethod',
    ]);
  });

  it('checks every field of the address and gives the country back in capitals', () => {
    const lower = orderCreateSchema.parse(
      checkout([{ productId: id, quantity: 1 }], { shippingAddress: { ...shippingAddress, country: 'id' } }),
    );
    expect(lower.shippingAddress.country).toBe('ID');
    const bad = orderCreateSchema.safeParse(
      checkout([{ productId: id, quantity: 1 }], {
        shippingAddress: { ...shippingAddress, name: ' ', phone: 'call me', postalCode: '!', country: 'XX' },
        paymentMethod: 'card',
      }),
    );
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'shippingAddress.name',
      'shippingAddress.phone',
      'shippingAddress.postalCode',
      'shippingAddress.country',
      'paymentMethod',
    ]);
  });
});
