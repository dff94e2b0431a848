// After the product writes: the variants of the products Directus did not hold (new ones), of
// each product event that has not failed, as Directus batch requests of at most `chunk` items in id order, run in parallel. They go after the
// products because Directus refuses a variant whose product it does not hold (a product created
// by this batch must be there first); a product whose own write failed gets none of them, its
// event fails and is delivered again.
const plan = $('Plan writes').first().json;
const requests = $('Plan the rest').all();
const first = requests[0].json;
const answers = $('Write to Directus').all();
const failed = new Set(
  Object.values(first.results)
    .filter((result) => result.status === 'failed')
    .map((result) => result.id),
);
requests.forEach((request, index) => {
  const status = answers[index] ? answers[index].json.statusCode : 0;
  if (!request.json.variants && !(status >= 200 && status < 300))
    for (const id of request.json.events) failed.add(id);
});

// The variants of the products Directus held went with the products' writes.
const ops = plan.ops.variant.filter((op) => !op.early && !failed.has(op.event));
const byId = (a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0);
const variantRequests = [];
const chunked = (path, part) => {
  part.sort(byId);
  for (let i = 0; i < part.length; i += plan.chunk) {
    const rows = part.slice(i, i + plan.chunk);
    variantRequests.push({
      method: 'POST',
      path,
      body: rows.map((op) => op.row),
      events: rows.map((op) => op.event),
    });
  }
};
chunked(
  '/items/product_variants?fields=id,version',
  ops.filter((op) => !op.row.collection),
);
chunked(
  '/items/sync_tombstones?fields=id,version',
  ops.filter((op) => op.row.collection),
);
if (!variantRequests.length) return [{ json: { write: false } }];
return variantRequests.map((request) => ({ json: { write: true, ...request } }));
