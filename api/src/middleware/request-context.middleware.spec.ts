import { describe, expect, it } from 'vitest';
import type { Logger, Orm } from '@lapak/core';
import { RequestState } from './request-context.middleware';

// `caller` reads neither the logger nor the ORM.
const state = () => new RequestState('request-1', {} as Logger, {} as Orm);

describe('RequestState', () => {
  it('gives the principal as the caller once a token named one', () => {
    const request = state();
    request.principal = { userId: '0d9a3f2e-1b2c-4d5e-8f90-abcdef012345', role: 'customer' };
    expect(request.caller).toBe(request.principal);
  });

  it('refuses to name a caller for a request without a token, as requireUser does (401)', () => {
    expect(() => state().caller).toThrow(
      expect.objectContaining({ code: 'unauthenticated', message: 'This endpoint needs a bearer token' }),
    );
  });
});
