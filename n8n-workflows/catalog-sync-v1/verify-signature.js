// Checks that the batch comes from Lapak's worker: Standard Webhooks, HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>" with the shared secret, and a timestamp within 5
// minutes of now. The check is the worker's own (standard-webhooks.cjs, inlined here by
// `pnpm n8n:build`), so what the worker signs and what the flow accepts cannot drift apart. The
// secret comes from n8n's environment (LAPAK_WEBHOOK_SECRET), never from this file.
const { checkWebhook } = require('../../worker/src/sync/standard-webhooks.cjs');

const EVENT_TYPES = ['product.upserted', 'product.deleted', 'category.upserted', 'category.deleted'];
const NIL = '00000000-0000-0000-0000-000000000000';

const item = $input.first();
const headers = item.json.headers || {};
const requestId = String(headers['x-request-id'] || '').slice(0, 128);
const refuse = (status, message) => [{ json: { ok: false, status, message, requestId } }];

const secret = $env.LAPAK_WEBHOOK_SECRET;
if (!secret) throw new Error('LAPAK_WEBHOOK_SECRET is not set in the environment of n8n');
// The webhook node keeps the exact bytes that were signed (its rawBody option).
const raw = item.binary && item.binary.data ? Buffer.from(item.binary.data.data, 'base64') : Buffer.alloc(0);
const refused = checkWebhook(secret, headers, raw);
if (refused) return refuse(401, refused);
const id = headers['webhook-id'];

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
    EVENT_TYPES.includes(event.type) &&
    event.schemaVersion === 1 &&
    event.aggregate &&
    event.aggregate.type === event.type.split('.')[0] &&
    /^[0-9a-f-]{36}$/i.test(String(event.aggregate.id)) &&
    Number.isInteger(event.aggregate.version) &&
    event.aggregate.version >= 1 &&
    event.data &&
    typeof event.data === 'object';
  if (ok) events.push(event);
  else
    invalid.push({
      id: event && isId(event.id) ? event.id : String(event && event.id),
      status: 'failed',
      error: 'not a valid catalog event (schemaVersion 1)',
    });
}

// One read of Directus: which of the categories this batch points at it holds, so that a product
// pointing at a missing category fails alone instead of failing its whole request. No version is
// read: the version fence in Directus's database decides every write where it lands.
const categoryIds = new Set();
for (const event of events) {
  if (event.aggregate.type === 'category') categoryIds.add(event.aggregate.id);
  const target = event.aggregate.type === 'product' ? event.data.categoryId : event.data.parentId;
  if (target) categoryIds.add(String(target));
}
const query = {
  query:
    'query Categories($categories: [ID]) { categories(filter: { id: { _in: $categories } }, limit: -1) { id } }',
  variables: { categories: categoryIds.size ? [...categoryIds] : [NIL] },
};
return [{ json: { ok: true, requestId, webhookId: String(id), events, invalid, query } }];
