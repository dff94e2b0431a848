import { randomUUID } from 'node:crypto';
import { webhookHeaders } from '../../worker/src/sync/webhook-signature';
import type { Item } from '../src/testing/code-node';

/** The secret the flows' specs give n8n as LAPAK_WEBHOOK_SECRET. */
export const secret = 'whsec_dGhlIGZsb3cncyB0ZXN0IHNlY3JldA==';

/** The item the webhook node hands on: the headers and the raw body as binary data. */
export function webhookItem(body: string, headers: Record<string, string>): Item {
  return {
    json: { headers: { ...headers, 'x-request-id': 'req-1' }, body: {} },
    binary: { data: { data: Buffer.from(body).toString('base64'), mimeType: 'application/json' } },
  };
}

/** The webhook item of `body` signed as the worker signs it, with `key` (the secret) at `now`. */
export function signedItem(body: string, { key = secret, now = Date.now() } = {}): Item {
  return webhookItem(body, webhookHeaders(key, randomUUID(), body, now));
}

/** A batch of these events, signed as the worker signs it. */
export const signedBatch = (events: unknown[]) => signedItem(JSON.stringify({ events }));
