import { loginSchema, registerSchema } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { fieldIssues } from './field-issues';

describe('fieldIssues', () => {
  it('names each bad field with the contract’s message', () => {
    expect(fieldIssues(registerSchema, { name: ' ', email: 'ana@', password: 'short' })).toEqual({
      name: 'must not be empty',
      email: 'must be an email address',
      password: 'must be at least 8 characters',
    });
    expect(fieldIssues(loginSchema, { email: 'ana@example.com', password: '' })).toEqual({
      password: 'must not be empty',
    });
  });

  it('is null for valid values', () => {
    expect(
      fieldIssues(registerSchema, { name: 'Ana', email: 'ana@example.com', password: 'long enough' }),
    ).toBeNull();
  });
});
