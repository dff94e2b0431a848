// Standard Webhooks (https://www.standardwebhooks.com): the one implementation of the signature
// on Lapak's webhook requests. The worker signs with it (webhook-signature.ts) and the n8n flows
// check with it: `pnpm n8n:build` inlines this file into the Code nodes that require it, since a
// Code node may require nothing but Node's built-ins. Hence plain CommonJS that requires only
// `crypto` (n8n allows it through NODE_FUNCTION_ALLOW_BUILTIN).
const crypto = require('crypto');

/**
 * A request whose webhook-timestamp is further than this from now is refused: a captured request
 * can be replayed within this window only (the flows refuse a webhook-id they already hold).
 */
const TOLERANCE_SECONDS = 5 * 60;

/** The HMAC key: a secret written `whsec_<base64>` is the decoded bytes, any other its UTF-8 bytes. */
function signingKey(secret) {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/** The HMAC-SHA256 of `<id>.<timestamp>.<body>` (body: a string, as UTF-8, or the raw bytes). */
function digest(secret, id, timestamp, body) {
  return crypto.createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The `webhook-signature` header of a request: `v1,<base64 signature>`. */
function signWebhook(secret, id, timestamp, body) {
  return `v1,${digest(secret, id, timestamp, body).toString('base64')}`;
}

/**
 * True when one of the space-separated `v1,<signature>` entries of a `webhook-signature` header
 * signs the body (several let a sender sign with an old and a new secret while they rotate).
 * Compared in constant time.
 */
function signatureMatches(secret, id, timestamp, body, header) {
  const expected = digest(secret, id, timestamp, body);
  return String(header)
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      if (version !== 'v1' || !signature) return false;
      const given = Buffer.from(signature, 'base64');
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    });
}

/**
 * Checks a received request: its `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers (lower-case names) against its raw body, at `now` (milliseconds). Returns null when the
 * request is signed with the secret and its timestamp is within TOLERANCE_SECONDS of now, else
 * why it is refused (a receiver answers 401 with it).
 */
function checkWebhook(secret, headers, body, now = Date.now()) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) {
    return 'webhook-id, webhook-timestamp and webhook-signature are required';
  }
  if (!/^\d{1,12}$/.test(String(timestamp)) || Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    return 'webhook-timestamp is missing or more than 5 minutes away from now';
  }
  if (!signatureMatches(secret, id, timestamp, body, signatures)) {
    return 'webhook-signature does not match the body';
  }
  return null;
}

module.exports = { TOLERANCE_SECONDS, signWebhook, signatureMatches, checkWebhook };
