import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readItems } from '@directus/sdk';
import { directusRequest, type DirectusAccess } from './directus';

/** A stand-in Directus: answers by path, and never answers /items/products. */
let server: Server;
let access: DirectusAccess;
const seen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url!, authorization: req.headers.authorization });
    if (req.url!.startsWith('/items/products')) return;
    res.setHeader('content-type', 'application/json');
    if (req.url!.startsWith('/items/categories')) {
      res.end(JSON.stringify({ data: [{ id: 'c1', version: 2 }] }));
      return;
    }
    res.statusCode = 403;
    res.end(
      JSON.stringify({
        errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  access = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'sync-token' };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('directusRequest', () => {
  it("sends the command with the sync user's token and answers its data", async () => {
    const items = await directusRequest(
      access,
      'GET /items/categories',
      readItems('categories', { fields: ['id', 'version'], limit: 5 }),
    );
    expect(items).toEqual([{ id: 'c1', version: 2 }]);
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer sync-token' });
    expect(seen.at(-1)!.url).toContain('limit=5');
  });

  it('names the request, the status and what Directus said when it refuses', async () => {
    await expect(
      directusRequest(access, 'GET /items/sync_tombstones', readItems('sync_tombstones')),
    ).rejects.toThrow("Directus GET /items/sync_tombstones answered 403: You don't have permission");
  });

  it('gives up on a Directus that does not answer within the timeout', async () => {
    const started = Date.now();
    await expect(directusRequest(access, 'GET /items/products', readItems('products'), 200)).rejects.toThrow(
      'Directus GET /items/products did not answer within 200 ms',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
