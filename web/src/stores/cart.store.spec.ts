import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { cartStore, lineKey, useCartStore, type CartProduct } from './cart.store';

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
    cart.removeOrdered([{ productId: 'p1' }]);
    expect(cart.lines.map((line) => line.productId)).toEqual(['p2']);
  });
});

describe('cart store with variants', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  const coffee = product({ id: 'k1', name: 'Kopi Gayo', price_cents: 9500, stock: 12 });
  const half = {
    id: 'v500',
    optionValues: { Weight: '500 g' },
    priceCents: 18_000,
    stock: 3,
    image: { id: 'img500', title: null, description: null, width: 600, height: 600 },
  };
  const quarter = {
    ...half,
    id: 'v250',
    optionValues: { Weight: '250 g' },
    priceCents: 9500,
    stock: 9,
    image: null,
  };
  const row = (
    variant: typeof half | typeof quarter,
    changes: { price_cents?: number; stock?: number } = {},
  ) => ({
    id: variant.id,
    sku: `SKU-${variant.id}`,
    option_values: variant.optionValues,
    price_cents: changes.price_cents ?? variant.priceCents,
    stock: changes.stock ?? variant.stock,
    image: variant.image && { id: variant.image.id },
  });

  it('keeps a line per variant, with its values, price, stock and photo', () => {
    const cart = useCartStore();
    cart.add(coffee, 2, half);
    cart.add(coffee, 1, quarter);
    expect(cart.add(coffee, 5, half)).toEqual({
      quantity: 3,
      added: 1,
      message: 'Only 3 of Kopi Gayo (Weight: 500 g) can be ordered; your cart has 3.',
    });
    expect(
      cart.lines.map((line) => [
        lineKey(line),
        line.optionValues,
        line.priceCents,
        line.quantity,
        line.imageId,
      ]),
    ).toEqual([
      ['k1/v500', { Weight: '500 g' }, 18_000, 3, 'img500'],
      ['k1/v250', { Weight: '250 g' }, 9500, 1, 'img1'],
    ]);
    expect(cart.quantityOf('k1/v250')).toBe(1);
    cart.setQuantity('k1/v250', 4);
    cart.remove('k1/v500');
    expect(cart.lines.map((line) => [lineKey(line), line.quantity])).toEqual([['k1/v250', 4]]);
    expect(cart.totals.get('EUR')).toBe(4 * 9500);
  });

  it('refreshes each line from its own variant, and marks a variant that is gone', () => {
    const cart = useCartStore();
    cart.add(coffee, 3, half);
    cart.add(coffee, 1, quarter);
    const notices = cart.refresh([
      { ...coffee, sku: 'KOPI', variants: [row(half, { stock: 2, price_cents: 19_000 })] },
    ]);
    expect(notices.map((notice) => [notice.key, notice.message])).toEqual([
      ['k1/v500', 'The price of Kopi Gayo (Weight: 500 g) has changed.'],
      ['k1/v500', 'Only 2 of Kopi Gayo (Weight: 500 g) left; the quantity was lowered to 2.'],
      ['k1/v250', 'Kopi Gayo (Weight: 250 g) is no longer for sale.'],
    ]);
    const [kept, gone] = cart.lines;
    expect([kept!.priceCents, kept!.quantity, kept!.available]).toEqual([19_000, 2, true]);
    expect(gone!.available).toBe(false);
  });

  it('a line without a variant stays orderable while the product has one variant, not once it has more', () => {
    const cart = useCartStore();
    cart.add(coffee, 1);
    expect(cart.refresh([{ ...coffee, sku: 'KOPI', variants: [row(quarter)] }])).toEqual([]);
    expect(cart.lines[0]).toMatchObject({ variantId: null, available: true, priceCents: 9500 });
    cart.refresh([{ ...coffee, sku: 'KOPI', variants: [row(quarter), row(half)] }]);
    expect(cart.lines[0]!.available).toBe(false);
  });

  it('reads lines saved before variants existed as lines of the product itself', () => {
    localStorage.setItem(
      cartStore.key,
      JSON.stringify([
        {
          productId: 'p1',
          slug: 'mug',
          name: 'Mug',
          priceCents: 1250,
          currency: 'EUR',
          stock: 5,
          imageId: null,
          quantity: 2,
          available: true,
        },
      ]),
    );
    const cart = useCartStore();
    expect(cart.lines[0]).toMatchObject({ productId: 'p1', variantId: null, optionValues: {}, quantity: 2 });
    expect(cart.quantityOf('p1')).toBe(2);
  });

  it('removes the ordered variant only', () => {
    const cart = useCartStore();
    cart.add(coffee, 1, half);
    cart.add(coffee, 1, quarter);
    cart.removeOrdered([{ productId: 'k1', variantId: 'v500' }]);
    expect(cart.lines.map(lineKey)).toEqual(['k1/v250']);
  });
});
