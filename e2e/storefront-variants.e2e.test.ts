/**
 * Choosing a variant in the storefront, in Debian's Chromium against the whole stack with the
 * v2 catalog sync (which brings variants to Directus): coffee by weight with the middle weight
 * sold out. The sold-out weight is shown and disabled; the keyboard passes over it; the price,
 * stock and address follow the choice; the cart and the order name the weight chosen, and the
 * API's order line is that variant.
 */
import { describe, expect, it } from 'vitest';
import { optionProductBody, useTestEnv } from '@lapak/core/testing';
import {
  choosePayment,
  fillAddress,
  keyPage,
  orderStatus,
  placeOrder,
  poll,
  sitiAddress,
  useStorefront,
} from './storefront/storefront-suite';
import { eventually, type Json } from './support/stack';

const env = useTestEnv();
const shop = useStorefront(env, { SYNC_FLOW_VERSION: 'v2' });
const stack = shop.stack;

interface CreatedProduct {
  id: string;
  slug: string;
  variants: { id: string; sku: string; optionValues: Record<string, string> }[];
}

/** Kopi Toraja by weight: 250 g (5), 500 g sold out, 1 kg (3); once Directus has its variants. */
async function coffeeByWeight(): Promise<CreatedProduct> {
  const created = await shop.create<CreatedProduct>(
    'products',
    optionProductBody(
      'Weight',
      [
        { value: '250 g', priceCents: 11_000_000, stock: 5 },
        { value: '500 g', priceCents: 20_500_000, stock: 0 },
        { value: '1 kg', priceCents: 39_000_000, stock: 3 },
      ],
      { name: 'Kopi Toraja Kalosi' },
    ),
  );
  await shop.inDirectus(created.id);
  for (const variant of created.variants) {
    await eventually(`variant ${variant.sku} in Directus`, () =>
      stack.directus.item('product_variants', variant.id),
    );
  }
  return created;
}

const variantOf = (product: CreatedProduct, weight: string) =>
  product.variants.find((variant) => variant.optionValues.Weight === weight)!;

describe('choosing a variant in the storefront', () => {
  it('the sold-out weight is shown disabled, the one chosen is the one ordered, and the order names it', async () => {
    const coffee = await coffeeByWeight();
    const kilo = variantOf(coffee, '1 kg');
    const page = await shop.loggedIn('variant', 'Siti');
    await page.goto(`${shop.url}/products/${coffee.slug}`);

    // One group per option, named by its legend; the first weight in stock is chosen.
    const weight = page.getByRole('group', { name: /^Weight/ });
    await weight.waitFor();
    const quarter = weight.getByRole('radio', { name: '250 g', exact: true });
    // The hidden comma is a box of its own, which Chromium sets apart with spaces: "500 g , sold out".
    const half = weight.getByRole('radio', { name: /^500 g\s*,\s*sold out$/ });
    const whole = weight.getByRole('radio', { name: '1 kg', exact: true });
    expect(await quarter.isChecked()).toBe(true);
    expect(await half.isDisabled()).toBe(true);
    expect(await whole.isEnabled()).toBe(true);
    expect(await page.getByTestId('product-price').textContent()).toMatch(/IDR\s110,000/);
    expect(await page.getByTestId('stock').textContent()).toBe('Only 5 left');
    await keyPage(page, 'variant-product');

    // The keyboard passes over the sold-out weight: from 250 g, the next arrow chooses 1 kg.
    await quarter.focus();
    await page.keyboard.press('ArrowRight');
    expect(await whole.isChecked()).toBe(true);
    expect(await page.evaluate(() => (globalThis as Json).document.activeElement.value)).toBe('1 kg');
    await poll(() => page.getByTestId('product-price').textContent()).toMatch(/IDR\s390,000/);
    expect(await page.getByTestId('stock').textContent()).toBe('Only 3 left');
    expect(await page.getByTestId('product-sku').textContent()).toBe(`SKU ${kilo.sku}`);
    expect(await page.getByTestId('choice-announcement').textContent()).toMatch(
      /Weight: 1 kg: IDR\s390,000(\.00)?, only 3 left\./,
    );
    await poll(() => Promise.resolve(new URL(page.url()).searchParams.get('variant'))).toBe(kilo.id);

    // The address keeps the choice: a reload opens on 1 kg.
    await page.reload();
    await whole.waitFor();
    expect(await whole.isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Increase quantity' }).click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await poll(() => page.getByTestId('add-message').textContent()).toContain(
      'Added 2 × Kopi Toraja Kalosi (Weight: 1 kg) to your cart.',
    );

    await page.getByTestId('cart-link').click();
    await page.getByTestId('checkout-details').waitFor();
    expect(await page.getByTestId('line-options').allTextContents()).toEqual(['Weight: 1 kg']);
    await fillAddress(page, sitiAddress);
    await choosePayment(page, 'Cash on delivery');
    await keyPage(page, 'variant-cart');
    const orderId = await placeOrder(page);
    await orderStatus(page, 'confirmed');
    expect((await page.getByTestId('line-options').textContent())?.trim()).toBe('Weight: 1 kg');
    await keyPage(page, 'variant-order');

    const order = await stack.api.request('GET', `/api/v1/orders/${orderId}`, { token: stack.adminToken });
    expect(order.body as Json).toMatchObject({
      status: 'confirmed',
      totalCents: 78_000_000,
      items: [
        {
          productId: coffee.id,
          variantId: kilo.id,
          optionValues: { Weight: '1 kg' },
          sku: kilo.sku,
          unitPriceCents: 39_000_000,
          quantity: 2,
        },
      ],
    });

    // The stock the order took reaches the shop: one kilo bag left, the other weights as they were.
    await eventually('1 kg stock in Directus', async () => {
      const row = await stack.directus.item<{ stock: number }>('product_variants', kilo.id);
      return row?.stock === 1 ? row : null;
    });
    await page.goto(`${shop.url}/products/${coffee.slug}?variant=${kilo.id}`);
    await whole.waitFor();
    expect(await whole.isChecked()).toBe(true);
    expect(await page.getByTestId('stock').textContent()).toBe('Only 1 left');
    expect(await half.isDisabled()).toBe(true);
  });
});
