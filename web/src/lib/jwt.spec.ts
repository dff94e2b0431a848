import { describe, expect, it } from 'vitest';
import { makeToken } from '../testing/factories';
import { localExpiry, renewalTime, tokenExpiry } from './jwt';

describe('tokenExpiry', () => {
  it('reads exp from the payload', () => {
    expect(tokenExpiry(makeToken({ sub: 'u1', exp: 1_900_000_000 }))).toBe(1_900_000_000);
  });

  it('is null for tokens it cannot read', () => {
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry('a.!!!.c')).toBeNull();
    expect(tokenExpiry(makeToken({ sub: 'u1' }))).toBeNull();
  });
});

describe('localExpiry', () => {
  it('counts the token’s lifetime from its arrival, whatever the browser’s clock says', () => {
    // Issued by an API whose clock is an hour behind this browser's.
    const token = makeToken({ iat: 1_000_000, exp: 1_000_060 });
    const arrived = 1_000_000_000 + 3_600_000;
    expect(localExpiry(token, arrived)).toBe(arrived + 60_000);
  });

  it('falls back to exp without iat, and is null without exp', () => {
    expect(localExpiry(makeToken({ exp: 1000 }), 5)).toBe(1_000_000);
    expect(localExpiry(makeToken({ iat: 1000 }), 5)).toBeNull();
    expect(localExpiry('not-a-jwt')).toBeNull();
  });
});

describe('renewalTime', () => {
  it('is a fifth of the life before the end, at most a minute', () => {
    expect(renewalTime(0, 60_000)).toBe(48_000);
    expect(renewalTime(0, 15 * 60_000)).toBe(14 * 60_000);
    expect(renewalTime(10_000, 5_000)).toBe(5_000);
  });
});
