// Decides, per event, what Directus needs (catalog-sync/plan-writes.cjs): the newest event of
// each aggregate wins; every upsert is a create and every delete a tombstone, and the version
// fence in Directus's database decides where each lands.
//
// A product's variants are items of their own (product_variants), fenced the same way by their
// own version (the product's version when the variant last changed). An upserted product writes
// the product with its options, then each variant it lists that Directus does not hold as new
// (the read says which); each variant Directus holds that it no longer lists is deleted, as a
// tombstone at the event's version (the fence refuses it where Directus holds that variant at a
// newer version). The variants of a product Directus holds, and the tombstones, go with the
// products' writes; those of a product Directus does not hold yet wait for it (Plan variants). A
// deleted product is a tombstone of the product (Directus deletes its variants with it) and of
// each variant Directus holds of it, so that no late delivery brings one back.
const {
  checkRead,
  newestEvents,
  tombstone,
  catalogOps,
  writePlan,
} = require('../catalog-sync/plan-writes.cjs');

const READ_MAX = 1000;
const read = $input.first().json;
checkRead(read, 'the category and variant read');

// The variants Directus holds of the batch's products (their product and version), and the
// products it holds.
const held = new Map();
const heldProducts = new Set();
for (const [key, rows] of Object.entries(read.data)) {
  if (key === 'categories') continue;
  if (key.startsWith('h')) {
    for (const row of rows || []) heldProducts.add(row.id);
    continue;
  }
  if (!Array.isArray(rows) || rows.length >= READ_MAX) {
    throw new Error(`Directus answered the variant read ${key} with ${JSON.stringify(rows).slice(0, 100)}`);
  }
  for (const row of rows) {
    // The sync user reads a variant's product as its id (it may not read through the relation).
    const product = row.product && typeof row.product === 'object' ? row.product.id : row.product;
    if (product) held.set(row.id, { product, version: Number(row.version) });
  }
}

const { results, newest } = newestEvents($('Verify signature').first().json);
const syncedAt = new Date().toISOString();
const ops = { ...catalogOps(newest, syncedAt, true), variant: [] };
const variantRowOf = (event, variant, index) => ({
  id: variant.id,
  product: event.aggregate.id,
  sku: variant.sku,
  option_values: variant.optionValues,
  price_cents: variant.priceCents,
  stock: variant.stock,
  version: variant.version,
  sort: variant.sort === undefined ? index : variant.sort,
  synced_at: syncedAt,
});
for (const event of newest.values()) {
  const { type, id, version } = event.aggregate;
  if (!event.type.endsWith('.deleted')) {
    (event.data.variants || []).forEach((variant, index) => {
      // Directus holds it as new already: the fence would refuse the write.
      const holding = held.get(variant.id);
      if (holding && holding.version >= variant.version) return;
      ops.variant.push({
        event: event.id,
        product: id,
        early: heldProducts.has(id),
        row: variantRowOf(event, variant, index),
      });
    });
  }
  if (type === 'product') {
    const listed = new Set(
      ((event.type === 'product.upserted' && event.data.variants) || []).map((v) => v.id),
    );
    for (const [variant, holding] of held) {
      if (holding.product !== id || listed.has(variant)) continue;
      // A tombstone needs no product: it goes with the products' writes.
      ops.variant.push({
        event: event.id,
        product: id,
        early: true,
        row: tombstone('product_variants', variant, version),
      });
    }
  }
}

return writePlan({ results, ops, heldCategories: read.data.categories });
