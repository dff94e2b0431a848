'use strict';
// What every automation flow does with a batch of domain events (docs/automation.md), shared by
// their Code nodes (`pnpm n8n:build` inlines this file where a node requires it; edit it here,
// never in n8n): read and check the signed batch, and answer one result per event, remembering
// the events handled so that a redelivery of one is answered `stale` instead of acted on twice.

/**
 * The batch a Webhook node received (raw body kept), checked: signed by Lapak's worker with
 * `secret` (Standard Webhooks, `checkWebhook` from worker/src/sync/standard-webhooks.cjs), a JSON
 * `{events: [...]}`, each event of one of `types` with schemaVersion 1. Returns
 * `{ok: true, requestId, events, invalid}` (invalid: a `failed` result per event refused) or
 * `{ok: false, status, message, requestId}` for the flow to refuse the request with.
 */
function readDomainBatch({ checkWebhook, secret, item, types }) {
  const headers = item.json.headers || {};
  const requestId = String(headers['x-request-id'] || '').slice(0, 128);
  const refuse = (status, message) => ({ ok: false, status, message, requestId });
  if (!secret) throw new Error('LAPAK_WEBHOOK_SECRET is not set in the environment of n8n');
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
  const isId = (value) => typeof value === 'string' && value.length > 0 && value.length <= 64;
  const events = [];
  const invalid = [];
  for (const event of body.events) {
    const ok =
      event &&
      isId(event.id) &&
      types.includes(event.type) &&
      event.schemaVersion === 1 &&
      event.aggregate &&
      isId(event.aggregate.id) &&
      event.data &&
      typeof event.data === 'object';
    if (ok) events.push(event);
    else
      invalid.push({
        id: event && isId(event.id) ? event.id : String(event && event.id),
        status: 'failed',
        error: `not an event this flow takes (${types.join(', ')}; schemaVersion 1)`,
      });
  }
  return { ok: true, requestId, events, invalid };
}

/** How long an event is remembered as handled: longer than the dispatcher retries it. */
const rememberMs = 7 * 24 * 3600 * 1000;

/**
 * Whether an event was handled before, by the flow's static data (`$getWorkflowStaticData`),
 * which n8n keeps with the workflow after each production execution.
 */
function handledBefore(staticData, eventId) {
  return Boolean(staticData.handled && staticData.handled[eventId]);
}

/**
 * One result per event of the batch: the refused ones `failed`, the skipped ones as the renderer
 * said (`stale`: handled before), and each sent one `applied`, or `failed` with the mail server's
 * error (`sent`: `{eventId, error?}`, one per mail). The events answered `applied` are remembered
 * as handled, and entries older than a week forgotten.
 */
function answerBatch({ staticData, invalid, skipped, sent, now = Date.now() }) {
  staticData.handled = staticData.handled || {};
  const results = [...invalid, ...skipped];
  const failedEvents = new Map();
  for (const mail of sent) if (mail.error) failedEvents.set(mail.eventId, String(mail.error));
  const seen = new Set();
  for (const mail of sent) {
    if (seen.has(mail.eventId)) continue;
    seen.add(mail.eventId);
    if (failedEvents.has(mail.eventId)) {
      results.push({ id: mail.eventId, status: 'failed', error: failedEvents.get(mail.eventId) });
    } else {
      staticData.handled[mail.eventId] = now;
      results.push({ id: mail.eventId, status: 'applied' });
    }
  }
  for (const [id, at] of Object.entries(staticData.handled)) {
    if (now - at > rememberMs) delete staticData.handled[id];
  }
  return results;
}

module.exports = { readDomainBatch, handledBefore, answerBatch };
