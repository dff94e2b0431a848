import { describe, expect, it } from 'vitest';
import { checkServices } from './services-check';

describe('checkServices', () => {
  it('names PostgreSQL, where it looked and how to start it when nothing listens there', async () => {
    const line = await checkServices('postgres://postgres@127.0.0.1:1/x', 'redis://127.0.0.1:6379');
    expect(line).toMatch(
      /^PostgreSQL is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\); start it .* or set DATABASE_URL\.$/,
    );
  });

  it('names Redis when only Redis is missing', async () => {
    const line = await checkServices(
      process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/x',
      'redis://127.0.0.1:1',
    );
    expect(line).toMatch(/^Redis is not reachable at 127\.0\.0\.1:1/);
  });
});
