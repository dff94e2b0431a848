import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { cartStore, useCartStore, type CartProduct } from './cart.store';

const product = (overrides: Partial<CartProduct> = {}): CartProduct => ({
  id: 'p1',
  slug: 'mug',
  name: 'Mug',
  price_cents: 1250,
  currency: 'EUR',
  stock: 5,
  images: [{ directus_files_id: { id: 'img1', title: null, description: null, width: 800, height: 800 } }],
  ...overrides,
});

describe('cart store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('adds products, merges repeats and counts the items', () => {
    const cart = useCartStore();
    cart.add(product());
    cart.add(product(), 2);
    cart.add(product({ id: 'p2', slug: 'bowl', name: 'Bowl', price_cents: 800 }));
    expect(cart.lines.map((line) => [line.productId, line.quantity, line.imageId])).toEqual([
      ['p1', 3, 'img1'],
      ['p2', 1, 'img1'],
    ]);
    expect(cart.count).toBe(4);
    expect(cart.totals.get('EUR')).toBe(3 * 1250 + 800);
  });

  it('never holds more than the stock, and says so', () => {
    const cart = useCartStore();
    cart.add(product({ stock: 2 }));
    const result = cart.add(product({ stock: 2 }), 5);
    expect(result).toEqual({
      quantity: 2,
      added: 1,
      message: 'Only 2 of Mug can be ordered; your cart has 2.',
    });
    cart.setQuantity('p1', 99);
    expect(cart.quantityOf('p1')).toBe(2);
  });

  it('does not add a sold-out product', () => {
    const cart = useCartStore();
    expect(cart.add(product({ stock: 0 }))).toEqual({ quantity: 0, added: 0, message: 'Mug is sold out.' });
    expect(cart.isEmpty).toBe(true);
  });

  it('removes a line when its quantity is set to zero, and ignores nonsense', () => {
    const cart = useCartStore();
    cart.add(product(), 2);
    cart.setQuantity('p1', Number.NaN);
    expect(cart.quantityOf('p1')).toBe(2);
    cart.setQuantity('p1', 0);
    expect(cart.isEmpty).toBe(true);
  });

  it('is kept across reloads (localStorage) and survives a corrupt value', () => {
    useCartStore().add(product(), 2);
    setActivePinia(createPinia());
    expect(useCartStore().quantityOf('p1')).toBe(2);

    localStorage.setItem(cartStore.key, '{"not":"a cart"');
    setActivePinia(createPinia());
    expect(useCartStore().isEmpty).toBe(true);
  });

  it('groups lines by currency, since an order has one currency', () => {
    const cart = useCartStore();
    cart.add(product());
    cart.add(product({ id: 'p2', currency: 'USD', price_cents: 999 }), 2);
    expect(cart.groups.map((group) => [group.currency, group.totalCents, group.lines.length])).toEqual([
      ['EUR', 1250, 1],
      ['USD', 1998, 1],
    ]);
  });

  it('refreshes from the catalog: lowers quantities to stock, marks what is gone, notes price changes', () => {
    const cart = useCartStore();
    cart.add(product(), 4);
    cart.add(product({ id: 'p2', name: 'Bowl' }));
    cart.add(product({ id: 'p3', name: 'Vase' }));
    const notices = cart.refresh([
      product({ stock: 1 }),
      product({ id: 'p3', name: 'Vase', price_cents: 1500, stock: 0 }),
    ]);
    expect(notices.map((notice) => notice.message)).toEqual([
      'Only 1 of Mug left; the quantity was lowered to 1.',
      'Bowl is no longer for sale.',
      'The price of Vase has changed.',
      'Vase is sold out.',
    ]);
    expect(cart.quantityOf('p1')).toBe(1);
    expect(cart.lines.find((line) => line.productId === 'p2')!.available).toBe(false);
    expect(cart.groups[0]!.orderable).toBe(false);
  });

  it('removes the lines of a placed order only', () => {
    const cart = useCartStore();
    cart.add(product());
    cart.add(product({ id: 'p2' }));
    cart.removeOrdered(['p1']);
    expect(cart.lines.map((line) => line.productId)).toEqual(['p2']);
  });
});
