import { checkWebhook, signWebhook as sign, signatureMatches } from './standard-webhooks.cjs';

/**
 * Standard Webhooks signing: HMAC-SHA256 over `<id>.<timestamp>.<body>`, base64, sent as
 * `webhook-signature: v1,<signature>`. A secret written `whsec_<base64>` is the decoded bytes;
 * any other secret is its UTF-8 bytes. The implementation is standard-webhooks.cjs, which the
 * n8n flows inline to check what the worker signs: one implementation on both ends.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return sign(secret, id, timestamp, body);
}

/** True when one of the space-separated signatures in `header` signs `body` (no time check). */
export function verifyWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
  header: string,
): boolean {
  return signatureMatches(secret, id, timestamp, body, header);
}

/**
 * What a receiver checks (the n8n flows run this very function): null when the request's
 * headers sign its body and its timestamp is within 5 minutes of `now`, else why it is refused.
 */
export { checkWebhook };

/** The headers of one signed webhook request. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
