import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { catalog } from '../catalog/catalog.client';
import type { CatalogImage, CatalogProduct, CatalogVariant } from '../catalog/catalog.types';
import { useCartStore } from '../stores/cart.store';
import { isolateShopTests, mountShop } from '../testing/mount-shop';

const photo = (id: string): CatalogImage => ({ id, title: null, description: null, width: 800, height: 800 });
const variant = (
  id: string,
  weight: string,
  priceCents: number,
  stock: number,
  image: CatalogImage | null = null,
): CatalogVariant => ({
  id,
  sku: `KOPI-${id}`,
  option_values: { Weight: weight },
  price_cents: priceCents,
  stock,
  image,
});

/** Coffee by weight: 250 g in stock, 500 g with a photo of its own and 2 left, 1 kg sold out. */
const coffee: CatalogProduct = {
  id: 'k1',
  name: 'Kopi Gayo',
  slug: 'kopi-gayo',
  sku: 'KOPI',
  price_cents: 9_500_000,
  currency: 'IDR',
  stock: 12,
  category: null,
  images: [{ directus_files_id: photo('product-photo') }],
  description: null,
  highlights: null,
  seo_title: null,
  seo_description: null,
  options: [{ name: 'Weight', values: ['250 g', '500 g', '1 kg'] }],
  variants: [
    variant('v250', '250 g', 9_500_000, 10),
    variant('v500', '500 g', 18_000_000, 2, photo('half-kilo-photo')),
    variant('v1k', '1 kg', 34_000_000, 0),
  ],
};

async function openProduct(product: CatalogProduct, path = `/products/${product.slug}`) {
  vi.spyOn(catalog, 'productBySlug').mockResolvedValue(product);
  return mountShop(path);
}

const text = (wrapper: VueWrapper, testid: string) => wrapper.get(`[data-testid=${testid}]`).text();
const radio = (wrapper: VueWrapper, value: string) =>
  wrapper.get<HTMLInputElement>(`input[value="${value}"]`);
const mainPhoto = (wrapper: VueWrapper) => wrapper.get('.gallery__main img').attributes('src');

describe('product page with variants', () => {
  isolateShopTests();

  it('offers each option as a named group of radio buttons, the sold-out value disabled and saying so', async () => {
    const { wrapper } = await openProduct(coffee);
    const group = wrapper.get('fieldset');
    expect(group.get('legend').text()).toBe('Weight: 250 g');
    const labels = group.findAll('label').map((label) => label.text().replace(/\s+/g, ' '));
    expect(labels).toEqual(['250 g', '500 g', '1 kg, sold out']);
    expect(radio(wrapper, '250 g').element.checked).toBe(true);
    expect(radio(wrapper, '1 kg').element.disabled).toBe(true);
    expect(radio(wrapper, '500 g').element.disabled).toBe(false);
    expect(new Set(group.findAll('input').map((input) => input.attributes('name'))).size).toBe(1);
  });

  it('price, stock, sku and photo follow the choice, the address names it, and the change is announced', async () => {
    const { wrapper, router } = await openProduct(coffee);
    expect(text(wrapper, 'product-price')).toContain('95,000');
    expect(text(wrapper, 'stock')).toBe('In stock');
    expect(mainPhoto(wrapper)).toContain('/assets/product-photo');
    expect(text(wrapper, 'choice-announcement')).toBe('');

    await radio(wrapper, '500 g').setValue(true);
    await flushPromises();
    expect(text(wrapper, 'product-price')).toContain('180,000');
    expect(text(wrapper, 'stock')).toBe('Only 2 left');
    expect(text(wrapper, 'product-sku')).toBe('SKU KOPI-v500');
    expect(mainPhoto(wrapper)).toContain('/assets/half-kilo-photo');
    expect(router.currentRoute.value.query).toEqual({ variant: 'v500' });
    expect(text(wrapper, 'choice-announcement')).toMatch(
      /^Weight: 500 g: IDR\s180,000(\.00)?, only 2 left\.$/,
    );
  });

  it('adds the chosen variant to the cart with its values, bounded by its own stock', async () => {
    const { wrapper } = await openProduct(coffee, '/products/kopi-gayo?variant=v500');
    expect(radio(wrapper, '500 g').element.checked).toBe(true);
    await wrapper.get('[aria-label="Increase quantity"]').trigger('click');
    await wrapper.get('form.buy').trigger('submit');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(text(wrapper, 'add-message')).toBe('Added 2 × Kopi Gayo (Weight: 500 g) to your cart.');
    expect(useCartStore().lines).toMatchObject([
      {
        productId: 'k1',
        variantId: 'v500',
        optionValues: { Weight: '500 g' },
        priceCents: 18_000_000,
        quantity: 2,
      },
    ]);
    expect(wrapper.text()).toContain('All 2 available are in your cart.');

    await radio(wrapper, '250 g').setValue(true);
    await flushPromises();
    expect(wrapper.get('form.buy button[type=submit]').text()).toBe('Add to cart');
  });

  it('a product without variants in the catalog is the product itself: no choices, its own price and stock', async () => {
    const plain: CatalogProduct = { ...coffee, options: null, variants: [], stock: 4 };
    const { wrapper } = await openProduct(plain);
    expect(wrapper.find('[data-testid=variant-picker]').exists()).toBe(false);
    expect(text(wrapper, 'product-price')).toContain('95,000');
    expect(text(wrapper, 'stock')).toBe('Only 4 left');
    await wrapper.get('form.buy').trigger('submit');
    expect(useCartStore().lines).toMatchObject([
      { productId: 'k1', variantId: null, optionValues: {}, quantity: 1 },
    ]);
  });
});
