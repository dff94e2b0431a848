// Types of standard-webhooks.cjs (plain JavaScript, so that the n8n flows can inline it).

/** Seconds a webhook-timestamp may be away from now. */
export declare const TOLERANCE_SECONDS: number;

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. */
export declare function signWebhook(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string;

/** True when one of the space-separated signatures in `header` signs the body. */
export declare function signatureMatches(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
  header: string,
): boolean;

/** null when the request is signed and fresh, else why it is refused. */
export declare function checkWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string | Uint8Array,
  now?: number,
): string | null;
