import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import type { CatalogProductSummary } from '../catalog/catalog.types';
import { createShopRouter } from '../router';
import { useCartStore } from '../stores/cart.store';
import ProductCard from './product-card.vue';

const product = (stock: number): CatalogProductSummary => ({
  id: 'p1',
  name: 'Stoneware mug',
  slug: 'stoneware-mug',
  price_cents: 1850,
  currency: 'EUR',
  stock,
  category: null,
  images: [{ directus_files_id: { id: 'f1', title: 'Mug', description: null, width: 900, height: 900 } }],
});

function mountCard(stock: number, overrides: Partial<CatalogProductSummary> = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(ProductCard, {
    props: { product: { ...product(stock), ...overrides } },
    global: { plugins: [pinia, createShopRouter(createMemoryHistory())] },
  });
}

describe('ProductCard', () => {
  beforeEach(() => localStorage.clear());

  it('shows price, stock and a sized Directus image, and adds to the cart up to the stock', async () => {
    const wrapper = mountCard(2);
    expect(wrapper.text()).toContain('€18.50');
    expect(wrapper.get('[data-testid=stock]').text()).toBe('Only 2 left');
    const image = wrapper.get('img');
    expect(image.attributes('src')).toMatch(/\/assets\/f1\?key=lapak-w480$/);
    expect(image.attributes('srcset')).toContain('?key=lapak-w320 320w');
    expect(image.attributes('alt')).toBe('Mug');
    expect(wrapper.get('h3 a').attributes('href')).toBe('/products/stoneware-mug');

    const button = wrapper.get('button');
    await button.trigger('click');
    await button.trigger('click');
    expect(useCartStore().quantityOf('p1')).toBe(2);
    expect(button.text()).toBe('All in cart');
    expect(button.attributes('disabled')).toBeDefined();
    expect(wrapper.emitted('added')![0]).toEqual(['Added Stoneware mug to your cart.']);
  });

  it('cannot add a sold-out product', () => {
    const wrapper = mountCard(0);
    expect(wrapper.get('[data-testid=stock]').text()).toBe('Sold out');
    expect(wrapper.get('button').text()).toBe('Sold out');
    expect(wrapper.get('button').attributes('disabled')).toBeDefined();
  });

  it('sends the shopper to choose the options of a product that has some, from its lowest price', () => {
    const wrapper = mountCard(7, { options: [{ name: 'Size', values: ['Small', 'Large'] }] });
    expect(wrapper.get('.card__price').text()).toBe('From €18.50');
    const choose = wrapper.get('a.card__add');
    expect(choose.text()).toBe('Choose options: Stoneware mug');
    expect(choose.attributes('href')).toBe('/products/stoneware-mug');
    expect(wrapper.find('button').exists()).toBe(false);
  });
});
