'use strict';
// How every flow reads the batch of events Lapak's worker posts to it (docs/sync.md,
// docs/automation.md): shared by their Verify signature nodes (`pnpm n8n:build` inlines this
// file where a node requires it; edit it here, never in n8n).

const isId = (value) => typeof value === 'string' && value.length > 0 && value.length <= 64;

/** What an automation flow asks of an event besides its type: an aggregate id and a data object. */
const hasIdAndData = (event) => isId(event.aggregate.id) && event.data && typeof event.data === 'object';

/**
 * The batch a Webhook node received (raw body kept), checked: signed by Lapak's worker with
 * `secret` (Standard Webhooks, `checkWebhook` from worker/src/sync/standard-webhooks.cjs, which
 * the node requires and passes in: a module inlined here may require Node's built-ins only), and
 * a JSON `{events: [...]}` of 1 to 1000 events. An event is taken if it has an id, one of
 * `types`, `schemaVersion`, an aggregate, and `isValid(event)` holds; any other gets a `failed`
 * result saying `refusal`. Returns `{ok: true, requestId, webhookId, events, invalid}` or
 * `{ok: false, status, message, requestId}` for the flow to refuse the request with.
 */
function readSignedBatch({
  checkWebhook,
  secret,
  item,
  types,
  schemaVersion = 1,
  isValid = hasIdAndData,
  refusal = `not an event this flow takes (${types.join(', ')}; schemaVersion ${schemaVersion})`,
}) {
  const headers = item.json.headers || {};
  const requestId = String(headers['x-request-id'] || '').slice(0, 128);
  const refuse = (status, message) => ({ ok: false, status, message, requestId });
  if (!secret) throw new Error('LAPAK_WEBHOOK_SECRET is not set in the environment of n8n');
  // The Webhook node keeps the exact bytes that were signed (its rawBody option).
  const raw =
    item.binary && item.binary.data ? Buffer.from(item.binary.data.data, 'base64') : Buffer.alloc(0);
  const refused = checkWebhook(secret, headers, raw);
  if (refused) return refuse(401, refused);
  let body;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse(400, 'the body is not JSON');
  }
  if (!body || !Array.isArray(body.events) || body.events.length === 0 || body.events.length > 1000) {
    return refuse(400, 'the body must be {"events": [1..1000 events]}');
  }
  const events = [];
  const invalid = [];
  for (const event of body.events) {
    const ok =
      event &&
      isId(event.id) &&
      types.includes(event.type) &&
      event.schemaVersion === schemaVersion &&
      event.aggregate &&
      isValid(event);
    if (ok) events.push(event);
    else
      invalid.push({
        id: event && isId(event.id) ? event.id : String(event && event.id),
        status: 'failed',
        error: refusal,
      });
  }
  return { ok: true, requestId, webhookId: String(headers['webhook-id']), events, invalid };
}

module.exports = { readSignedBatch };
