import { describe, expect, it } from 'vitest';
import { isExpired, tokenExpiry } from './jwt';

const b64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (payload: object) => `${b64url({ alg: 'HS256' })}.${b64url(payload)}.signature`;

describe('tokenExpiry', () => {
  it('reads exp from the payload', () => {
    expect(tokenExpiry(jwt({ sub: 'u1', exp: 1_900_000_000 }))).toBe(1_900_000_000);
  });

  it('is null for tokens it cannot read', () => {
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry('a.!!!.c')).toBeNull();
    expect(tokenExpiry(jwt({ sub: 'u1' }))).toBeNull();
  });
});

describe('isExpired', () => {
  it('compares exp with now', () => {
    const token = jwt({ exp: 1000 });
    expect(isExpired(token, 999_000)).toBe(false);
    expect(isExpired(token, 1_000_000)).toBe(true);
    expect(isExpired(jwt({}), Date.now())).toBe(false);
  });
});
