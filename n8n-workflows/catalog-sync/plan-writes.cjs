'use strict';
// The Plan writes node of each catalog-sync version: what Directus needs, per event (`pnpm
// n8n:build` inlines this file where a node requires it; edit it here, never in n8n). Every
// upsert is a create (`POST`) and every delete a tombstone (collection, item, version): the
// version fence in Directus's database (directus/sql/version-fence.sql) turns a create of an item
// Directus holds into an update of its API-owned fields if newer, deletes the item for a
// tombstone, and refuses any write not newer than what Directus holds, so nothing needs reading
// first and the order writes land in does not matter.

/** Rows per Directus batch request. */
const CHUNK = 100;

/** The Directus collection of each aggregate type. */
const COLLECTION = { product: 'products', category: 'categories' };

/**
 * Throws unless Directus answered the read (`what`) with the categories it holds: without
 * knowing them, a product pointing at a missing one would fail its whole request.
 */
function checkRead(read, what) {
  if (read.errors || !read.data || !Array.isArray(read.data.categories)) {
    throw new Error(`Directus did not answer ${what}: ${JSON.stringify(read.errors || read).slice(0, 300)}`);
  }
}

/**
 * The events that decide: the newest of each aggregate. Several events of one aggregate in a
 * batch: the newest wins, the others are stale. Returns them (`newest`, by `<type>:<id>`) and the
 * results decided so far: the invalid events and the stale ones.
 */
function newestEvents(verified) {
  const results = {};
  for (const entry of verified.invalid) results[entry.id] = entry;
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
  return { results, newest };
}

/** The tombstone of an item: the fence deletes the item, and refuses it where Directus holds a newer one. */
const tombstone = (collection, item, version) => ({ id: `${collection}:${item}`, collection, item, version });

/** The row an upserted product or category writes: its API-owned fields (`options` if asked). */
function rowOf(event, syncedAt, withOptions) {
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
      ...(withOptions ? { options: d.options } : {}),
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
}

/**
 * The upserts and deletes (`{event, row}`) of the newest events, by aggregate type; a product's
 * row with its `options` if `withOptions` (from event schema version 2 on).
 */
function catalogOps(newest, syncedAt, withOptions = false) {
  const ops = { category: { upsert: [], delete: [] }, product: { upsert: [], delete: [] } };
  for (const event of newest.values()) {
    const { type, id, version } = event.aggregate;
    if (event.type.endsWith('.deleted')) {
      ops[type].delete.push({ event: event.id, row: tombstone(COLLECTION[type], id, version) });
    } else {
      ops[type].upsert.push({ event: event.id, row: rowOf(event, syncedAt, withOptions) });
    }
  }
  return ops;
}

/**
 * The node's item: the plan, with the category writes first (parents before children), so that
 * products may point at categories this batch writes. The categories available are those
 * Directus holds (`heldCategories`, from the read) and this batch does not delete, and those it
 * writes; a category whose parent is not among them fails alone.
 */
function writePlan({ results, ops, heldCategories }) {
  const deleting = new Set(ops.category.delete.map((op) => op.row.item));
  const available = new Set(heldCategories.map((row) => row.id).filter((id) => !deleting.has(id)));
  const missing = (id) => id && !available.has(id);
  const failParent = (op) => {
    results[op.event] = {
      id: op.event,
      status: 'failed',
      error: `parent category ${op.row.parent} is not in Directus`,
    };
  };
  const ordered = [];
  let pending = ops.category.upsert;
  while (pending.length) {
    const next = pending.filter(
      (op) => missing(op.row.parent) && pending.some((o) => o.row.id === op.row.parent),
    );
    const ready = pending.filter((op) => !next.includes(op));
    if (!ready.length) break;
    for (const op of ready) {
      if (missing(op.row.parent)) failParent(op);
      else {
        ordered.push(op);
        available.add(op.row.id);
      }
    }
    pending = next;
  }
  for (const op of pending) failParent(op);

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
}

module.exports = { checkRead, newestEvents, tombstone, catalogOps, writePlan };
