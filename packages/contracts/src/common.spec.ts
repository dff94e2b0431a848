import { describe, expect, it } from 'vitest';
import { idSchema } from './common';

describe('idSchema', () => {
  it('accepts a UUID in either letter case and gives it back in lower case', () => {
    const id = '0d9a3f2e-1b2c-4d5e-8f90-abcdef012345';
    expect(idSchema.parse(id)).toBe(id);
    expect(idSchema.parse(id.toUpperCase())).toBe(id);
    expect(idSchema.parse('0D9a3F2e-1b2C-4d5E-8f90-AbCdEf012345')).toBe(id);
  });

  it('refuses what is not a UUID', () => {
    for (const input of ['', 'not-a-uuid', '0d9a3f2e1b2c4d5e8f90abcdef012345', 42, null]) {
      expect(idSchema.safeParse(input).error?.issues[0]?.message, String(input)).toBe('must be a UUID');
    }
  });
});
