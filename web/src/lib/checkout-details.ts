import type { PaymentMethod, ShippingAddress } from '@lapak/contracts';
import { localStore } from './local-store';

/** The address form as typed: every field a string, optional ones possibly empty. */
export type AddressDraft = Required<ShippingAddress>;

export const addressFields = [
  'name',
  'phone',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
] as const satisfies readonly (keyof AddressDraft)[];

export const paymentMethodOptions: readonly PaymentMethod[] = ['bank_transfer', 'cash_on_delivery'];

export const emptyAddress = (country = ''): AddressDraft => ({
  name: '',
  phone: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country,
});

/**
 * The address as the API takes it: optional lines left empty are left out (the contract refuses
 * an empty one), the rest sent as typed for the contract to trim and check.
 */
export function toShippingAddress(draft: AddressDraft): ShippingAddress {
  const { line2, region, ...required } = draft;
  return {
    ...required,
    ...(line2.trim() ? { line2 } : {}),
    ...(region.trim() ? { region } : {}),
  };
}

/** The country of the shopper's locale (`en-US` → `US`, `id` → `ID`), or '' when it names none. */
export function localeCountry(locale: string | undefined): string {
  try {
    return new Intl.Locale(locale ?? 'und').maximize().region ?? '';
  } catch {
    return '';
  }
}

export interface CountryOption {
  code: string;
  name: string;
}

/** Countries by their name in the shopper's language, for a select whose values are the codes. */
export function countryOptions(codes: readonly string[], locale?: string): CountryOption[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' });
  } catch {
    // No region names in this browser: the codes stand for themselves.
  }
  const collator = new Intl.Collator(locale);
  return codes
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** The address and way to pay of the shopper's last order, offered again at the next checkout. */
export interface RememberedDetails {
  userId: string;
  address: AddressDraft;
  paymentMethod: PaymentMethod;
}

const isRemembered = (value: unknown): value is RememberedDetails => {
  const remembered = value as RememberedDetails;
  return (
    typeof remembered === 'object' &&
    remembered !== null &&
    typeof remembered.userId === 'string' &&
    paymentMethodOptions.includes(remembered.paymentMethod) &&
    typeof remembered.address === 'object' &&
    remembered.address !== null &&
    addressFields.every((field) => typeof remembered.address[field] === 'string')
  );
};

/**
 * Kept for one account only, so a second person logging in on the same browser never sees the
 * first one's address; logging out forgets it.
 */
export const rememberedDetailsStore = localStore<RememberedDetails | null>(
  'lapak.address.v1',
  () => null,
  isRemembered,
);
