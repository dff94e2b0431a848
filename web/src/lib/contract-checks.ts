import type { Login, OrderCreate, Register } from '@lapak/contracts';
import { fieldIssues, issuesByField } from './field-issues';

/**
 * Form checks with the contract's own schemas, loaded on demand (they bring zod, which only the
 * account pages and the checkout need): the browser says what the API would say, without the
 * round trip.
 */
const contracts = () => import('@lapak/contracts');

export async function checkRegister(values: Register): Promise<Record<string, string> | null> {
  return fieldIssues((await contracts()).registerSchema, values);
}

export async function checkLogin(values: Login): Promise<Record<string, string> | null> {
  return fieldIssues((await contracts()).loginSchema, values);
}

/** A checkout as the API would read it (trimmed, country in capitals), or a message per field. */
export type CheckoutCheck =
  { value: OrderCreate; fields: null } | { value: null; fields: Record<string, string> };

export async function checkCheckout(values: OrderCreate): Promise<CheckoutCheck> {
  const result = (await contracts()).orderCreateSchema.safeParse(values);
  return result.success
    ? { value: result.data, fields: null }
    : { value: null, fields: issuesByField(result.error.issues) };
}

/**
 * The country codes a shipping address may have: every two-letter code the contract accepts,
 * so the shop never offers one the API would refuse.
 */
export async function shippingCountryCodes(): Promise<string[]> {
  const country = (await contracts()).shippingAddressSchema.shape.country;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const codes: string[] = [];
  for (const first of letters) {
    for (const second of letters) {
      if (country.safeParse(first + second).success) codes.push(first + second);
    }
  }
  return codes;
}

/** Starts loading the schemas while the shopper types. */
export function preloadContractChecks(): void {
  void contracts().catch(() => undefined);
}
