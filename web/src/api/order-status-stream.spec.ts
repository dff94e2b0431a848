import { describe, expect, it } from 'vitest';
import type { OrderStatusUpdate } from '@lapak/contracts';
import { ApiError } from './api-error';
import { followOrderStatus } from './order-status-stream';

const update = (
  status: OrderStatusUpdate['status'],
  failureReason: OrderStatusUpdate['failureReason'] = null,
) =>
  `event: status\ndata: ${JSON.stringify({ orderId: 'o1', status, failureReason, updatedAt: '2026-11-22T10:00:00.000Z' })}\n\n`;

function streamOf(chunks: string[], options: { breakAfter?: boolean } = {}) {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (options.breakAfter) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
}

function fakeFetch(response: Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return response;
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe('followOrderStatus', () => {
  it('sends the bearer token and reports each status event, heartbeats skipped', async () => {
    const failed = update('failed', 'out_of_stock');
    // The last event arrives split across two chunks.
    const whole = streamOf([update('pending'), ': heartbeat\n\n', failed.slice(0, 30), failed.slice(30)]);
    const { fetchImpl, calls } = fakeFetch(
      new Response(whole, { headers: { 'Content-Type': 'text/event-stream' } }),
    );
    const seen: OrderStatusUpdate[] = [];

    await followOrderStatus({
      apiUrl: 'https://api.example.com',
      orderId: 'o1',
      token: 'jwt',
      signal: new AbortController().signal,
      onUpdate: (u) => seen.push(u),
      fetchImpl,
    });

    expect(calls[0]!.url).toBe('https://api.example.com/api/v1/orders/o1/events');
    expect(new Headers(calls[0]!.init!.headers).get('Authorization')).toBe('Bearer jwt');
    expect(seen.map((u) => [u.status, u.failureReason])).toEqual([
      ['pending', null],
      ['failed', 'out_of_stock'],
    ]);
  });

  it('rejects with not_found for an order that is not the shopper’s', async () => {
    const { fetchImpl } = fakeFetch(new Response('{}', { status: 404 }));
    const error = await followOrderStatus({
      apiUrl: 'https://api.example.com',
      orderId: 'o1',
      token: 'jwt',
      signal: new AbortController().signal,
      onUpdate: () => {},
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('not_found');
  });

  it('rejects as a network error when the stream breaks, after reporting what came before', async () => {
    const { fetchImpl } = fakeFetch(new Response(streamOf([update('pending')], { breakAfter: true })));
    const seen: string[] = [];
    const error = await followOrderStatus({
      apiUrl: 'https://api.example.com',
      orderId: 'o1',
      token: 'jwt',
      signal: new AbortController().signal,
      onUpdate: (u) => seen.push(u.status),
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(seen).toEqual(['pending']);
    expect((error as ApiError).code).toBe('network');
    expect((error as ApiError).retryable).toBe(true);
  });
});
