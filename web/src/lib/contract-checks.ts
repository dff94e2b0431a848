import type { Login, Register } from '@lapak/contracts';
import { fieldIssues } from './field-issues';

/**
 * Form checks with the contract's own schemas, loaded on demand (they bring zod, which only the
 * account pages need): the browser says what the API would say, without the round trip.
 */
const contracts = () => import('@lapak/contracts');

export async function checkRegister(values: Register): Promise<Record<string, string> | null> {
  return fieldIssues((await contracts()).registerSchema, values);
}

export async function checkLogin(values: Login): Promise<Record<string, string> | null> {
  return fieldIssues((await contracts()).loginSchema, values);
}

/** Starts loading the schemas while the shopper types. */
export function preloadContractChecks(): void {
  void contracts().catch(() => undefined);
}
