import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies local defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/lapak');
    expect(config.API_PORT).toBe(3000);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ API_PORT: 'eighty', REDIS_URL: 'not a url' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/API_PORT/);
      expect((error as Error).message).toMatch(/REDIS_URL/);
    }
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });

  it('reads durations with their unit', () => {
    expect(loadConfig({}).ORDER_PAYMENT_TTL).toBe(24 * 60 * 60 * 1000);
    expect(loadConfig({ ORDER_PAYMENT_TTL: '90s' }).ORDER_PAYMENT_TTL).toBe(90_000);
    expect(loadConfig({ ORDER_PAYMENT_TTL: '30m' }).ORDER_PAYMENT_TTL).toBe(1_800_000);
    expect(loadConfig({ ORDER_PAYMENT_TTL: '3d' }).ORDER_PAYMENT_TTL).toBe(259_200_000);
    expect(() => loadConfig({ ORDER_PAYMENT_TTL: '24' })).toThrow(
      /ORDER_PAYMENT_TTL: must be a whole number and a unit/,
    );
    expect(() => loadConfig({ ORDER_PAYMENT_TTL: '0s' })).toThrow(/ORDER_PAYMENT_TTL: must be at least 1s/);
  });
});
