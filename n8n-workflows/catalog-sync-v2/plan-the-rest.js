// After the category writes: the products and the deletes, as Directus batch requests of at most
// `chunk` items (run in parallel), with the variants of the products Directus holds; the
// variants of new products follow once their products are written (Plan variants). Products pointing at a category Directus does not hold fail alone instead of
// failing their whole request. Rows go in id order, so that two requests writing the same items
// take their locks in the same order.
const plan = $('Plan writes').first().json;
const results = { ...plan.results };
const available = new Set(plan.available);
// The category writes, with the rows Directus read back after them (judged with the rest).
const written = [];
if (plan.writeCategories) {
  const [answer] = $('Write categories').all();
  const status = answer.json.statusCode;
  if (status >= 500) throw new Error(`Directus answered ${status} to the category writes`);
  if (status >= 300) {
    const error =
      (answer.json.body &&
        answer.json.body.errors &&
        answer.json.body.errors[0] &&
        answer.json.body.errors[0].message) ||
      `Directus answered ${status}`;
    for (const op of plan.ops.category.upsert) {
      results[op.event] = { id: op.event, status: 'failed', error };
      available.delete(op.row.id);
    }
  } else {
    written.push({
      events: plan.writeCategories.events,
      rows: (answer.json.body && answer.json.body.data) || [],
    });
  }
}

const requests = [];
const byId = (a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0);
const chunked = (method, path, ops, variants = false) => {
  ops.sort(byId);
  for (let i = 0; i < ops.length; i += plan.chunk) {
    const part = ops.slice(i, i + plan.chunk);
    requests.push({
      method,
      path,
      body: part.map((op) => op.row),
      events: part.map((op) => op.event),
      variants,
    });
  }
};
const usable = (op, field, what) => {
  const target = op.row[field];
  if (!target || available.has(target)) return true;
  results[op.event] = { id: op.event, status: 'failed', error: `${what} ${target} is not in Directus` };
  return false;
};
chunked(
  'POST',
  '/items/products?fields=id,version',
  plan.ops.product.upsert.filter((op) => usable(op, 'category', 'category')),
);
chunked('POST', '/items/sync_tombstones?fields=id,version', [
  ...plan.ops.category.delete,
  ...plan.ops.product.delete,
]);

// The variants of products Directus holds, and the variants' tombstones, need not wait for the
// products' writes: they go with them (the variants of new products follow in Plan variants).
// None of an event that failed already.
const early = plan.ops.variant.filter(
  (op) => op.early && !(results[op.event] && results[op.event].status === 'failed'),
);
chunked(
  'POST',
  '/items/product_variants?fields=id,version',
  early.filter((op) => !op.row.collection),
  true,
);
chunked(
  'POST',
  '/items/sync_tombstones?fields=id,version',
  early.filter((op) => op.row.collection),
  true,
);

if (!requests.length) return [{ json: { write: false, results, written } }];
return requests.map((request) => ({ json: { write: true, results, written, ...request } }));
