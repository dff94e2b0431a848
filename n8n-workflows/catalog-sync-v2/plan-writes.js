// Decides, per event, what Directus needs. Several events of one aggregate in a batch: the newest
// wins, the others are stale. Every upsert is a create (`POST`) and every delete a tombstone
// (collection, item, version): the version fence in Directus's database
// (directus/sql/version-fence.sql) turns a create of an item Directus holds into an update of its
// API-owned fields if newer, deletes the item for a tombstone, and refuses any write not newer
// than what Directus holds, so nothing needs reading first and the order writes land in does
// not matter.
//
// A product's variants are items of their own (product_variants), fenced the same way by their
// own version (the product's version when the variant last changed). An upserted product writes
// the product with its options, then each variant it lists that Directus does not hold as new
// (the read says which); each variant Directus holds that it no longer lists is deleted, as a tombstone at the event's version (the fence refuses it where
// Directus holds that variant at a newer version). The variants of a product Directus holds,
// and the tombstones, go with the products' writes; those of a product Directus does not hold
// yet wait for it (Plan variants). A deleted product is a tombstone of the
// product (Directus deletes its variants with it) and of each variant Directus holds of it, so
// that no late delivery brings one back.
const CHUNK = 100;
const READ_MAX = 1000;
const verified = $('Verify signature').first().json;
const read = $input.first().json;
// Without knowing the categories, a product pointing at a missing one would fail its whole request.
if (read.errors || !read.data || !Array.isArray(read.data.categories)) {
  throw new Error(
    `Directus did not answer the category and variant read: ${JSON.stringify(read.errors || read).slice(0, 300)}`,
  );
}
const COLLECTION = { product: 'products', category: 'categories' };
const results = {};
for (const entry of verified.invalid) results[entry.id] = entry;

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

const newest = new Map();
for (const event of verified.events) {
  const key = `${event.aggregate.type}:${event.aggregate.id}`;
  const other = newest.get(key);
  if (other && other.aggregate.version >= event.aggregate.version) {
    results[event.id] = { id: event.id, status: 'stale' };
    continue;
  }
  if (other) results[other.id] = { id: other.id, status: 'stale' };
  newest.set(key, event);
}

const syncedAt = new Date().toISOString();
const rowOf = (event) => {
  const d = event.data;
  if (event.aggregate.type === 'product') {
    return {
      id: event.aggregate.id,
      sku: d.sku,
      name: d.name,
      slug: d.slug,
      price_cents: d.priceCents,
      currency: d.currency,
      stock: d.stock,
      status: d.status,
      category: d.categoryId || null,
      options: d.options,
      version: event.aggregate.version,
      synced_at: syncedAt,
    };
  }
  return {
    id: event.aggregate.id,
    name: d.name,
    slug: d.slug,
    parent: d.parentId || null,
    version: event.aggregate.version,
    synced_at: syncedAt,
  };
};
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
const tombstone = (collection, item, version) => ({ id: `${collection}:${item}`, collection, item, version });

const ops = { category: { upsert: [], delete: [] }, product: { upsert: [], delete: [] }, variant: [] };
for (const event of newest.values()) {
  const type = event.aggregate.type;
  const version = event.aggregate.version;
  if (event.type.endsWith('.deleted')) {
    ops[type].delete.push({ event: event.id, row: tombstone(COLLECTION[type], event.aggregate.id, version) });
  } else {
    ops[type].upsert.push({ event: event.id, row: rowOf(event) });
    (event.data.variants || []).forEach((variant, index) => {
      // Directus holds it as new already: the fence would refuse the write.
      const holding = held.get(variant.id);
      if (holding && holding.version >= variant.version) return;
      ops.variant.push({
        event: event.id,
        product: event.aggregate.id,
        early: heldProducts.has(event.aggregate.id),
        row: variantRowOf(event, variant, index),
      });
    });
  }
  if (type === 'product') {
    const listed = new Set(
      ((event.type === 'product.upserted' && event.data.variants) || []).map((v) => v.id),
    );
    for (const [variant, holding] of held) {
      if (holding.product !== event.aggregate.id || listed.has(variant)) continue;
      // A tombstone needs no product: it goes with the products' writes.
      ops.variant.push({
        event: event.id,
        product: event.aggregate.id,
        early: true,
        row: tombstone('product_variants', variant, version),
      });
    }
  }
}

// Categories first (parents before children), so products may point at categories this batch writes.
const deleting = new Set(ops.category.delete.map((op) => op.row.item));
const available = new Set(read.data.categories.map((row) => row.id).filter((id) => !deleting.has(id)));
const missing = (id) => id && !available.has(id);
const ordered = [];
let pending = ops.category.upsert;
while (pending.length) {
  const next = pending.filter(
    (op) => missing(op.row.parent) && pending.some((o) => o.row.id === op.row.parent),
  );
  const ready = pending.filter((op) => !next.includes(op));
  if (!ready.length) break;
  for (const op of ready) {
    if (missing(op.row.parent)) {
      results[op.event] = {
        id: op.event,
        status: 'failed',
        error: `parent category ${op.row.parent} is not in Directus`,
      };
    } else {
      ordered.push(op);
      available.add(op.row.id);
    }
  }
  pending = next;
}
for (const op of pending) {
  results[op.event] = {
    id: op.event,
    status: 'failed',
    error: `parent category ${op.row.parent} is not in Directus`,
  };
}

return [
  {
    json: {
      results,
      ops,
      available: [...available],
      chunk: CHUNK,
      writeCategories: ordered.length
        ? {
            method: 'POST',
            path: '/items/categories?fields=id,version',
            body: ordered.map((op) => op.row),
            events: ordered.map((op) => op.event),
          }
        : null,
    },
  },
];
