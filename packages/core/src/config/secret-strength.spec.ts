import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { developmentMarkerIn, estimateSecretBits, secretProblem, urlPassword } from './secret-strength';

describe('secretProblem', () => {
  it('accepts what the documented generators give', () => {
    for (let i = 0; i < 200; i++) {
      expect(secretProblem(randomBytes(32).toString('hex'))).toBeNull();
      expect(secretProblem(randomBytes(32).toString('base64url'))).toBeNull();
    }
  });

  it.each([
    'dev-only-jwt-secret-change-me-0123456789abcdef',
    'compose-only-webhook-secret-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a',
    '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0aCHANGE-ME',
    'CHANGE_ME-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a',
    'ChangeMe3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a',
    'Dev.Only 3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a',
  ])('refuses a development value in any spelling: %s', (value) => {
    expect(secretProblem(value)).toMatch(/^is a development value/);
  });

  it('names the marker, and never repeats the value', () => {
    const value = 'compose-only-directus-secret-change-me-0123';
    expect(developmentMarkerIn(value)).toBe('changeme');
    expect(secretProblem(value)).not.toContain(value);
  });

  it('refuses a short value', () => {
    expect(secretProblem(randomBytes(12).toString('hex'))).toMatch(/at least 32 characters/);
  });

  it.each([
    ['one character repeated', 'a'.repeat(64)],
    ['a short pattern repeated', 'abc'.repeat(20)],
    ['a word repeated', 'password'.repeat(6)],
    ['two digits alternating', '01'.repeat(32)],
    ['a generated value repeated', '3f9a1c7e5b2d4f6a'.repeat(4)],
  ])('refuses a value of too little entropy: %s', (_name, value) => {
    expect(secretProblem(value)).toMatch(/too little entropy \(about \d+ bits/);
  });

  it('estimates bits as (1 + distinct adjacent pairs) × log2(distinct characters)', () => {
    expect(estimateSecretBits('a'.repeat(100))).toBe(0);
    // 16 characters, 4 bits each; 15 pairs, then a repetition that adds only the pair "f0".
    expect(estimateSecretBits('0123456789abcdef')).toBe(64);
    expect(estimateSecretBits('0123456789abcdef'.repeat(4))).toBe(68);
    expect(estimateSecretBits('ab'.repeat(40))).toBe(3);
  });
});

describe('urlPassword', () => {
  it('reads the decoded password of a URL, if it has one', () => {
    expect(urlPassword('postgres://lapak:s%40cret@db:5432/lapak')).toBe('s@cret');
    expect(urlPassword('postgres://postgres@127.0.0.1:5432/lapak')).toBeUndefined();
    expect(urlPassword('redis://redis:6379')).toBeUndefined();
    expect(urlPassword('not a url')).toBeUndefined();
  });
});
