import type { AuthResult } from '@lapak/contracts';
import { vi } from 'vitest';
import { api } from '../api/api-client';
import { signedInHint, useAuthStore } from '../stores/auth.store';
import { makeAuthResult } from './factories';

/**
 * Signs the shopper in as a page load does when the browser has a session: the hint says so, the
 * API answers the refresh cookie with `result`, and the active Pinia's auth store restores it.
 */
export async function signIn(result: AuthResult = makeAuthResult()): Promise<AuthResult> {
  signedInHint.write({ userId: result.user.id });
  vi.spyOn(api, 'refresh').mockResolvedValueOnce(result);
  await useAuthStore().restore();
  return result;
}
