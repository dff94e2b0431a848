'use strict';
// What the Verify signature node of each catalog-sync version checks of an event besides its
// schema version, and which categories it reads from Directus (docs/sync.md). `pnpm n8n:build`
// inlines this file where a node requires it; edit it here, never in n8n.

/** The catalog's event types. */
const catalogEventTypes = ['product.upserted', 'product.deleted', 'category.upserted', 'category.deleted'];

const isUuid = (value) => /^[0-9a-f-]{36}$/i.test(String(value));

/** An event about the aggregate its type names (a product or a category): a uuid, a version from 1. */
const hasCatalogAggregate = (event) =>
  event.aggregate.type === event.type.split('.')[0] &&
  isUuid(event.aggregate.id) &&
  Number.isInteger(event.aggregate.version) &&
  event.aggregate.version >= 1;

/**
 * The categories Directus is asked whether it holds: those of the batch's category events and
 * those its events point at (a product's category, a category's parent), so that a product
 * pointing at a missing category fails alone instead of failing its whole request. The nil id
 * when there are none.
 */
function categoriesToRead(events) {
  const ids = new Set();
  for (const event of events) {
    if (event.aggregate.type === 'category') ids.add(event.aggregate.id);
    const target = event.aggregate.type === 'product' ? event.data.categoryId : event.data.parentId;
    if (target) ids.add(String(target));
  }
  return ids.size ? [...ids] : ['00000000-0000-0000-0000-000000000000'];
}

module.exports = { catalogEventTypes, isUuid, hasCatalogAggregate, categoriesToRead };
