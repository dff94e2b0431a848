import { describe, expect, it } from 'vitest';
import { randomId } from './random-id';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  it('is a v4 UUID, different each time', () => {
    const a = randomId();
    expect(a).toMatch(uuidV4);
    expect(randomId()).not.toBe(a);
  });

  it('works where crypto.randomUUID is missing (plain http origins)', () => {
    // An own property shadows the prototype's method for this test only.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(crypto.randomUUID).toBeUndefined();
      const id = randomId();
      expect(id).toMatch(uuidV4);
      expect(randomId()).not.toBe(id);
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(typeof crypto.randomUUID).toBe('function');
  });
});
