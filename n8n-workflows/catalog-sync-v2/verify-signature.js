// Checks that the batch comes from Lapak's worker: Standard Webhooks, HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>" with the shared secret, and a timestamp within 5
// minutes of now. The check is the worker's own (standard-webhooks.cjs, inlined here by
// `pnpm n8n:build` with the modules the flows share), so what the worker signs and what the flow
// accepts cannot drift apart. The secret comes from n8n's environment (LAPAK_WEBHOOK_SECRET),
// never from this file.
//
// This flow takes events of schemaVersion 2 only: a product.upserted carries the product's
// `options` and its `variants`, each with the product's version when it last changed.
const { checkWebhook } = require('../../worker/src/sync/standard-webhooks.cjs');
const { readSignedBatch } = require('../shared/signed-batch.cjs');
const {
  catalogEventTypes,
  isUuid,
  hasCatalogAggregate,
  categoriesToRead,
} = require('../catalog-sync/verify-signature.cjs');

// Products whose held variants one read asks for: at most 100 variants each, so one answer stays
// within Directus's QUERY_LIMIT_MAX (1000).
const PRODUCTS_PER_READ = 10;

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

const batch = readSignedBatch({
  checkWebhook,
  secret: $env.LAPAK_WEBHOOK_SECRET,
  item: $input.first(),
  types: catalogEventTypes,
  schemaVersion: 2,
  isValid: (event) => hasCatalogAggregate(event) && dataOk(event),
  refusal: 'not a valid catalog event (schemaVersion 2)',
});
if (!batch.ok) return [{ json: batch }];

// One read of Directus (GraphQL, one request): which of the categories this batch points at it
// holds, so that a product pointing at a missing category fails alone instead of failing its
// whole request; and which variants it holds of the batch's products, at which version, so that
// those a product no longer lists are deleted and those it holds as new as the event are not
// written again (the version fence would refuse them: a stock change of one variant writes that
// variant only); and which of the products it holds, whose variants need not wait for the
// product's own write. Nothing else is read: the version fence in Directus's database decides every
// write where it lands.
const declarations = ['$categories: [ID]'];
const fields = ['categories(filter: { id: { _in: $categories } }, limit: -1) { id }'];
const variables = { categories: categoriesToRead(batch.events) };
const products = [
  ...new Set(
    batch.events.filter((event) => event.aggregate.type === 'product').map((event) => event.aggregate.id),
  ),
].sort();
for (let i = 0, n = 0; i < products.length; i += PRODUCTS_PER_READ, n++) {
  declarations.push(`$p${n}: [ID]`);
  fields.push(
    `v${n}: product_variants(filter: { product: { _in: $p${n} } }, limit: -1) { id product version }`,
    `h${n}: products(filter: { id: { _in: $p${n} } }, limit: -1) { id }`,
  );
  variables[`p${n}`] = products.slice(i, i + PRODUCTS_PER_READ);
}
const query = { query: `query Held(${declarations.join(', ')}) { ${fields.join(' ')} }`, variables };
return [{ json: { ...batch, query } }];
