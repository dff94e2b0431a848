// Checks that the batch comes from Lapak's worker: Standard Webhooks, HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>" with the shared secret, and a timestamp within 5
// minutes of now. The check is the worker's own (standard-webhooks.cjs, inlined here by
// `pnpm n8n:build`), so what the worker signs and what the flow accepts cannot drift apart. The
// secret comes from n8n's environment (LAPAK_WEBHOOK_SECRET), never from this file.
//
// This flow takes events of schemaVersion 2 only: a product.upserted carries the product's
// `options` and its `variants`, each with the product's version when it last changed.
const { checkWebhook } = require('../../worker/src/sync/standard-webhooks.cjs');

const EVENT_TYPES = ['product.upserted', 'product.deleted', 'category.upserted', 'category.deleted'];
const NIL = '00000000-0000-0000-0000-000000000000';
// Products whose held variants one read asks for: at most 100 variants each, so one answer stays
// within Directus's QUERY_LIMIT_MAX (1000).
const PRODUCTS_PER_READ = 10;

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
const isUuid = (value) => /^[0-9a-f-]{36}$/i.test(String(value));
const isObject = (value) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const isCount = (value) => Number.isInteger(value) && value >= 0;
const variantOk = (variant, version) =>
  isObject(variant) &&
  isUuid(variant.id) &&
  typeof variant.sku === 'string' &&
  isObject(variant.optionValues) &&
  isCount(variant.priceCents) &&
  isCount(variant.stock) &&
  Number.isInteger(variant.version) &&
  variant.version >= 1 &&
  variant.version <= version &&
  (variant.sort === undefined || isCount(variant.sort));
const dataOk = (event) => {
  if (!isObject(event.data)) return false;
  if (event.type !== 'product.upserted') return true;
  const { options, variants } = event.data;
  return (
    Array.isArray(options) &&
    options.every(
      (option) => isObject(option) && typeof option.name === 'string' && Array.isArray(option.values),
    ) &&
    Array.isArray(variants) &&
    variants.every((variant) => variantOk(variant, event.aggregate.version)) &&
    new Set(variants.map((variant) => variant.id)).size === variants.length
  );
};

const events = [];
const invalid = [];
for (const event of body.events) {
  const ok =
    event &&
    isId(event.id) &&
    EVENT_TYPES.includes(event.type) &&
    event.schemaVersion === 2 &&
    event.aggregate &&
    event.aggregate.type === event.type.split('.')[0] &&
    isUuid(event.aggregate.id) &&
    Number.isInteger(event.aggregate.version) &&
    event.aggregate.version >= 1 &&
    dataOk(event);
  if (ok) events.push(event);
  else
    invalid.push({
      id: event && isId(event.id) ? event.id : String(event && event.id),
      status: 'failed',
      error: 'not a valid catalog event (schemaVersion 2)',
    });
}

// One read of Directus (GraphQL, one request): which of the categories this batch points at it
// holds, so that a product pointing at a missing category fails alone instead of failing its
// whole request; and which variants it holds of the batch's products, at which version, so that
// those a product no longer lists are deleted and those it holds as new as the event are not
// written again (the version fence would refuse them: a stock change of one variant writes that
// variant only); and which of the products it holds, whose variants need not wait for the
// product's own write. Nothing else is read: the version fence in Directus's database decides every
// write where it lands.
const categoryIds = new Set();
const productIds = new Set();
for (const event of events) {
  if (event.aggregate.type === 'category') categoryIds.add(event.aggregate.id);
  const target = event.aggregate.type === 'product' ? event.data.categoryId : event.data.parentId;
  if (target) categoryIds.add(String(target));
  if (event.aggregate.type === 'product') productIds.add(event.aggregate.id);
}
const declarations = ['$categories: [ID]'];
const fields = ['categories(filter: { id: { _in: $categories } }, limit: -1) { id }'];
const variables = { categories: categoryIds.size ? [...categoryIds] : [NIL] };
const products = [...productIds].sort();
for (let i = 0, n = 0; i < products.length; i += PRODUCTS_PER_READ, n++) {
  declarations.push(`$p${n}: [ID]`);
  fields.push(
    `v${n}: product_variants(filter: { product: { _in: $p${n} } }, limit: -1) { id product version }`,
    `h${n}: products(filter: { id: { _in: $p${n} } }, limit: -1) { id }`,
  );
  variables[`p${n}`] = products.slice(i, i + PRODUCTS_PER_READ);
}
const query = { query: `query Held(${declarations.join(', ')}) { ${fields.join(' ')} }`, variables };
return [{ json: { ok: true, requestId, webhookId: String(id), events, invalid, query } }];
