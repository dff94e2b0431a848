import { describe, expect, it } from 'vitest';
import { makeToken } from '../testing/factories';
import { isExpired, tokenExpiry } from './jwt';

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

describe('isExpired', () => {
  it('compares exp with now', () => {
    const token = makeToken({ exp: 1000 });
    expect(isExpired(token, 999_000)).toBe(false);
    expect(isExpired(token, 1_000_000)).toBe(true);
    expect(isExpired(makeToken({}), Date.now())).toBe(false);
  });
});
