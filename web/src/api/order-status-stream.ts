import type { OrderStatusUpdate } from '@lapak/contracts';
import { ApiError, sessionEndedMessage } from './api-error';
import { SseParser } from './sse-parser';

export interface OrderStatusStreamOptions {
  apiUrl: string;
  orderId: string;
  token: string;
  signal: AbortSignal;
  onUpdate: (update: OrderStatusUpdate) => void;
  fetchImpl?: typeof fetch;
}

const errorMessages: Record<number, [ApiError['code'], string]> = {
  401: ['unauthenticated', sessionEndedMessage],
  404: ['not_found', 'This order was not found.'],
};

/**
 * Follows `GET /orders/:id/events` (an event each time the status changes, the current status
 * first, closed after a final status). EventSource cannot send the bearer token, so this reads
 * the stream with fetch. Resolves when the server ends the stream; rejects with an ApiError when
 * it refuses or the connection breaks (the caller reconnects).
 */
export async function followOrderStatus(options: OrderStatusStreamOptions): Promise<void> {
  const fetchImpl = options.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let response: Response;
  try {
    response = await fetchImpl(
      `${options.apiUrl}/api/v1/orders/${encodeURIComponent(options.orderId)}/events`,
      {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${options.token}` },
        signal: options.signal,
        cache: 'no-store',
      },
    );
  } catch (error) {
    throw asStreamError(error, options.signal);
  }
  if (!response.ok || !response.body) {
    const [code, message] = errorMessages[response.status] ?? [
      'internal',
      'The order status is not available right now.',
    ];
    throw new ApiError(message, code, response.status);
  }

  const parser = new SseParser();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const event of parser.feed(value)) {
        if (event.event !== 'status') continue;
        const update = parseUpdate(event.data);
        if (update) options.onUpdate(update);
      }
    }
  } catch (error) {
    throw asStreamError(error, options.signal);
  } finally {
    reader.releaseLock();
  }
}

function parseUpdate(data: string): OrderStatusUpdate | null {
  try {
    const value = JSON.parse(data) as Partial<OrderStatusUpdate>;
    return typeof value.status === 'string' ? (value as OrderStatusUpdate) : null;
  } catch {
    return null;
  }
}

function asStreamError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return error;
  return new ApiError('The live order status was interrupted.', 'network', 0);
}
