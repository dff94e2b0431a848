import { describe, expect, it } from 'vitest';
import { clientKey } from './auth-rate-limiter';

describe('clientKey', () => {
  it('keeps an IPv4 address, also when it comes IPv4-mapped', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('buckets IPv6 addresses by their /64, however they are written', () => {
    const bucket = clientKey('2001:db8:1:2::1');
    expect(bucket).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(bucket);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(bucket);
  });

  it('keeps what is not an address as it is, and names a missing one', () => {
    expect(clientKey('not an ip')).toBe('not an ip');
    expect(clientKey('')).toBe('unknown');
  });
});
