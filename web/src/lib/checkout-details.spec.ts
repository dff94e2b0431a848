import { shippingAddressSchema } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { sampleAddress } from '../testing/factories';
import {
  countryOptions,
  emptyAddress,
  localeCountry,
  rememberedDetailsStore,
  toShippingAddress,
} from './checkout-details';

describe('checkout details', () => {
  it('leaves empty optional lines out, so the contract does not refuse them', () => {
    const draft = { ...emptyAddress('ID'), ...sampleAddress, line2: '  ', region: '' };
    const address = toShippingAddress(draft);
    expect(address).not.toHaveProperty('line2');
    expect(address).not.toHaveProperty('region');
    expect(shippingAddressSchema.safeParse(address).success).toBe(true);
    expect(toShippingAddress({ ...draft, line2: 'Blok C' }).line2).toBe('Blok C');
  });

  it('starts the country from the browser language when it names one', () => {
    expect(localeCountry('en-US')).toBe('US');
    expect(localeCountry('id')).toBe('ID');
    expect(localeCountry('not a locale')).toBe('');
  });

  it('names countries in the shopper’s language, sorted by name', () => {
    expect(countryOptions(['DE', 'ID', 'AT'], 'en')).toEqual([
      { code: 'AT', name: 'Austria' },
      { code: 'DE', name: 'Germany' },
      { code: 'ID', name: 'Indonesia' },
    ]);
    expect(countryOptions(['DE'], 'id')).toEqual([{ code: 'DE', name: 'Jerman' }]);
  });

  it('remembers details only in their expected shape', () => {
    localStorage.clear();
    rememberedDetailsStore.write({
      userId: 'u1',
      address: { ...emptyAddress(), ...sampleAddress },
      paymentMethod: 'cash_on_delivery',
    });
    expect(rememberedDetailsStore.read()?.address.city).toBe('Yogyakarta');
    localStorage.setItem(rememberedDetailsStore.key, JSON.stringify({ userId: 'u1', address: { city: 1 } }));
    expect(rememberedDetailsStore.read()).toBeNull();
  });
});
