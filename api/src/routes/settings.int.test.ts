import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { useTestApi } from '../testing/test-api';

const ADMIN_API_TOKEN = 'settings-test-admin-token-0123456789abcdef';
const env = useTestEnv({ ADMIN_API_TOKEN });
const api = useTestApi(env);

describe('PATCH /settings: lowStockThreshold', () => {
  it('is 5 until an admin sets it, then what the admin set; 0 turns the alerts off', async () => {
    const before = await api.request('GET', '/api/v1/settings', { token: ADMIN_API_TOKEN });
    expect(before.body.lowStockThreshold).toBe(5);
    for (const threshold of [12, 0]) {
      const res = await api.request('PATCH', '/api/v1/settings', {
        token: ADMIN_API_TOKEN,
        body: { lowStockThreshold: threshold },
      });
      expect(res.status).toBe(200);
      expect(res.body.lowStockThreshold).toBe(threshold);
    }
  });

  it('refuses a threshold that is negative, fractional, too large or not a number, naming it', async () => {
    for (const [value, words] of [
      [-1, 'must not be negative'],
      [2.5, 'must be a whole number'],
      [1_000_001, 'must be at most 1000000'],
      ['5', 'must be a number'],
    ] as const) {
      const res = await api.request('PATCH', '/api/v1/settings', {
        token: ADMIN_API_TOKEN,
        body: { lowStockThreshold: value },
      });
      expect(res.status, String(value)).toBe(400);
      expect(JSON.stringify(res.body), String(value)).toContain('lowStockThreshold');
      expect(JSON.stringify(res.body), String(value)).toContain(words);
    }
  });
});
