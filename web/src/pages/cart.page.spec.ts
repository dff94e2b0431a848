import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { catalog } from '../catalog/catalog.client';
import type { CatalogCartProduct, CatalogVariant } from '../catalog/catalog.types';
import { shopChoices } from '../catalog/shop-variants';
import { rememberedDetailsStore } from '../lib/checkout-details';
import { useAuthStore } from '../stores/auth.store';
import { useCartStore } from '../stores/cart.store';
import { makeAuthResult, makeOrder, sampleAddress } from '../testing/factories';
import { isolateShopTests, mountShop } from '../testing/mount-shop';
import { signIn } from '../testing/sign-in';

const session = makeAuthResult();
const mug: CatalogCartProduct = {
  id: '0192f0c4-0000-7000-8000-0000000000a1',
  name: 'Stoneware mug',
  slug: 'stoneware-mug',
  price_cents: 1850,
  currency: 'EUR',
  stock: 9,
  category: null,
  images: [],
  sku: 'MUG-1',
  variants: null,
};

/** The cart page, for a logged-in shopper, with two mugs in the cart unless `fill` puts in others. */
async function openCart(
  inCatalog: CatalogCartProduct = mug,
  fill: (cart: ReturnType<typeof useCartStore>) => void = (cart) => void cart.add(mug, 2),
) {
  vi.spyOn(catalog, 'productsById').mockResolvedValue([inCatalog]);
  return mountShop('/cart', async () => {
    await signIn(session);
    fill(useCartStore());
  });
}

/** The form control labelled `label` (the label's text, without an error message). */
function control(wrapper: VueWrapper, label: string) {
  const element = wrapper.findAll('label').find((candidate) => candidate.text() === label);
  if (!element) throw new Error(`no field labelled ${label}`);
  return wrapper.get(`#${CSS.escape(element.attributes('for')!)}`);
}

async function fillAddress(wrapper: VueWrapper) {
  await control(wrapper, 'Full name').setValue(sampleAddress.name);
  await control(wrapper, 'Phone').setValue(sampleAddress.phone);
  await control(wrapper, 'Address').setValue(sampleAddress.line1);
  await control(wrapper, 'City').setValue(sampleAddress.city);
  await control(wrapper, 'Postal code').setValue(sampleAddress.postalCode);
  await control(wrapper, 'Country').setValue('ID');
}

describe('cart page checkout', () => {
  isolateShopTests();

  it('asks for the address with the browser’s shipping autofill tokens, and the way to pay', async () => {
    const { wrapper } = await openCart();
    const tokens = Object.fromEntries(
      ['Full name', 'Phone', 'Address', 'Address line 2 (optional)', 'City', 'Postal code'].map((label) => [
        label,
        control(wrapper, label).attributes('autocomplete'),
      ]),
    );
    expect(tokens).toEqual({
      'Full name': 'shipping name',
      Phone: 'shipping tel',
      Address: 'shipping address-line1',
      'Address line 2 (optional)': 'shipping address-line2',
      City: 'shipping address-level2',
      'Postal code': 'shipping postal-code',
    });
    expect(control(wrapper, 'Phone').attributes('type')).toBe('tel');
    const country = control(wrapper, 'Country');
    expect(country.attributes('autocomplete')).toBe('shipping country');
    // Every country the contract accepts, by name; the browser's language (en-US) picks the first.
    await vi.waitFor(() => expect(country.findAll('option').length).toBeGreaterThan(200));
    expect(country.get('option[value=ID]').text()).toBe('Indonesia');
    expect((country.element as HTMLSelectElement).value).toBe('US');

    const payment = wrapper.get('[data-testid=payment-methods]');
    expect(payment.get('legend').text()).toBe('Payment');
    const radios = payment.findAll('input[type=radio]');
    expect(radios.map((radio) => radio.attributes('value'))).toEqual(['bank_transfer', 'cash_on_delivery']);
    expect((radios[0]!.element as HTMLInputElement).checked).toBe(true);
    expect(control(wrapper, 'Cash on delivery').attributes('aria-describedby')).toBeTruthy();
    wrapper.unmount();
  });

  it('names each missing or wrong field beside it, focuses the first, and sends nothing', async () => {
    const create = vi.spyOn(api, 'createOrder');
    const { wrapper } = await openCart();
    await control(wrapper, 'Postal code').setValue('!');
    await control(wrapper, 'Country').setValue('');

    await wrapper.get('[data-testid=place-order]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-testid=checkout-error]').exists()).toBe(true));

    expect(create).not.toHaveBeenCalled();
    expect(wrapper.get('[data-testid=checkout-error]').attributes('role')).toBe('alert');
    expect(wrapper.get('[data-testid=checkout-error]').text()).toBe(
      'Please correct the highlighted delivery details.',
    );
    const messages = wrapper.findAll('[data-testid=field-error]').map((error) => error.text());
    expect(messages).toEqual([
      'Full name must not be empty',
      'Phone must be a phone number: digits, spaces, dashes, an optional leading +',
      'Address must not be empty',
      'City must not be empty',
      'Postal code must be a postal code: 2 to 12 letters, digits, spaces or dashes',
      'Country must be chosen',
    ]);
    const name = control(wrapper, 'Full name');
    expect(name.attributes('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name.element);

    // Each corrected field loses its message; the notice goes with the last one.
    await fillAddress(wrapper);
    expect(wrapper.findAll('[data-testid=field-error]')).toHaveLength(0);
    expect(wrapper.find('[data-testid=checkout-error]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('places the order with the address and the chosen way to pay, and offers them again next time', async () => {
    const order = makeOrder({ id: '0192f0c4-0000-7000-8000-00000000c0d1' });
    const create = vi.spyOn(api, 'createOrder').mockResolvedValue(order);
    vi.spyOn(api, 'order').mockResolvedValue(order);
    const { wrapper, router } = await openCart();
    await fillAddress(wrapper);
    await control(wrapper, 'Cash on delivery').setValue(true);

    await wrapper.get('[data-testid=place-order]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('order'));

    const { region: _region, ...typed } = sampleAddress;
    expect(create).toHaveBeenCalledWith(
      {
        items: [{ productId: mug.id, quantity: 2 }],
        shippingAddress: typed,
        paymentMethod: 'cash_on_delivery',
      },
      expect.any(String),
    );
    expect(rememberedDetailsStore.read()).toMatchObject({
      userId: session.user.id,
      address: { ...typed, line2: '', region: '' },
      paymentMethod: 'cash_on_delivery',
    });
    wrapper.unmount();

    // The next visit to the cart starts from them.
    const next = await openCart();
    expect((control(next.wrapper, 'Full name').element as HTMLInputElement).value).toBe('Siti Rahma');
    expect((control(next.wrapper, 'Postal code').element as HTMLInputElement).value).toBe('55271');
    expect((control(next.wrapper, 'Cash on delivery').element as HTMLInputElement).checked).toBe(true);
    next.wrapper.unmount();
  });

  it('shows each variant’s values on its line and orders each line by its variant', async () => {
    const order = makeOrder({ id: '0192f0c4-0000-7000-8000-00000000c0d2' });
    const create = vi.spyOn(api, 'createOrder').mockResolvedValue(order);
    vi.spyOn(api, 'order').mockResolvedValue(order);
    const small = '0192f0c4-0000-7000-8000-0000000000a1';
    const large = '0192f0c4-0000-7000-8000-0000000000a2';
    const sized = (id: string, size: string, priceCents: number): CatalogVariant => ({
      id,
      sku: `MUG-${size[0]}`,
      option_values: { Size: size },
      price_cents: priceCents,
      stock: 9,
      image: null,
    });
    const inCatalog = {
      ...mug,
      options: [{ name: 'Size', values: ['Small', 'Large'] }],
      variants: [sized(small, 'Small', 1850), sized(large, 'Large', 2400)],
    };
    // The shopper added them on the product page, which offers the shop's variants.
    const [smallMug, largeMug] = shopChoices(inCatalog).variants;
    const { wrapper, router } = await openCart(inCatalog, (cart) => {
      cart.add(mug, 1, largeMug!);
      cart.add(mug, 3, smallMug!);
    });
    expect(wrapper.findAll('[data-testid=line-options]').map((line) => line.text())).toEqual([
      'Size: Large',
      'Size: Small',
    ]);
    expect(wrapper.findAll('label').map((label) => label.text())).toContain(
      'Quantity of Stoneware mug (Size: Small)',
    );
    expect(wrapper.findAll('a.line__name').map((link) => link.attributes('href'))).toEqual([
      `/products/stoneware-mug?variant=${large}`,
      `/products/stoneware-mug?variant=${small}`,
    ]);
    await fillAddress(wrapper);
    await wrapper.get('[data-testid=place-order]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('order'));
    expect(create.mock.calls[0]![0].items).toEqual([
      { productId: mug.id, variantId: large, quantity: 1 },
      { productId: mug.id, variantId: small, quantity: 3 },
    ]);
    expect(useCartStore().isEmpty).toBe(true);
  });

  it('shows the API’s field messages beside the fields it names', async () => {
    vi.spyOn(api, 'createOrder').mockRejectedValue(
      new ApiError('Invalid body', 'validation_failed', 400, { 'shippingAddress.city': 'must not be empty' }),
    );
    const { wrapper } = await openCart();
    await fillAddress(wrapper);

    await wrapper.get('[data-testid=place-order]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-testid=field-error]').exists()).toBe(true));
    expect(wrapper.get('[data-testid=field-error]').text()).toBe('City must not be empty');
    expect(document.activeElement).toBe(control(wrapper, 'City').element);
    wrapper.unmount();
  });

  it('asks the shopper to choose a variant when the API wants one for a line', async () => {
    vi.spyOn(api, 'createOrder').mockRejectedValue(
      new ApiError('Invalid body', 'validation_failed', 400, {
        'items.0.variantId': 'is required: the product comes in several variants',
      }),
    );
    const { wrapper } = await openCart();
    await fillAddress(wrapper);
    await wrapper.get('[data-testid=place-order]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-testid=line-error]').exists()).toBe(true));
    expect(wrapper.get('[data-testid=line-error]').text()).toBe(
      'Stoneware mug now comes in several variants. Remove it and choose one on its page.',
    );
    wrapper.unmount();
  });

  it('says so when the session can no longer be renewed, and keeps the cart for the next log-in', async () => {
    const { wrapper } = await openCart();
    vi.spyOn(api, 'refresh').mockRejectedValue(
      new ApiError('The session has ended; log in again', 'unauthenticated', 401),
    );
    await useAuthStore()
      .renew()
      .catch(() => undefined);
    await flushPromises();

    const notice = wrapper.get('[data-testid=session-notice]');
    expect(notice.attributes('role')).toBe('status');
    expect(notice.text()).toBe('Your session has ended. Log in again to check out and see your orders.');
    expect(notice.get('a').attributes('href')).toBe('/login?redirect=/cart');
    expect(wrapper.find('[data-testid=place-order]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Log in to check out');
    expect(wrapper.get('[data-testid=cart-count]').text()).toBe('2');
    wrapper.unmount();
  });
});
