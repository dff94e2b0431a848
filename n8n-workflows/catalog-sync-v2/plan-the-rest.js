// After the category writes: the products and the deletes, as Directus batch requests
// (catalog-sync/plan-the-rest.cjs), with the variants of the products Directus holds; the
// variants of new products follow once their products are written (Plan variants).
const { writeRequests, planTheRest, restItems } = require('../catalog-sync/plan-the-rest.cjs');

const plan = $('Plan writes').first().json;
const { results, written, requests } = planTheRest(
  plan,
  plan.writeCategories && $('Write categories').first().json,
);

// The variants of products Directus holds, and the variants' tombstones, need not wait for the
// products' writes: they go with them, marked `variants` (the variants of new products follow in
// Plan variants). None of an event that failed already.
const early = plan.ops.variant.filter(
  (op) => op.early && !(results[op.event] && results[op.event].status === 'failed'),
);
const variantRequests = [
  ...writeRequests(
    '/items/product_variants?fields=id,version',
    early.filter((op) => !op.row.collection),
    plan.chunk,
  ),
  ...writeRequests(
    '/items/sync_tombstones?fields=id,version',
    early.filter((op) => op.row.collection),
    plan.chunk,
  ),
];
return restItems({
  results,
  written,
  requests: [...requests, ...variantRequests.map((request) => ({ ...request, variants: true }))],
});
