/**
 * Field ownership in Directus (the public contract's "Directus" part): the API owns what the
 * catalog sync writes, editors own the rest. One list for everything that depends on it: the
 * Directus permissions (directus/src/access.ts), the reconciliation's comparison
 * (packages/core/src/sync/catalog-compare.ts) and the flow's writes (checked against it in
 * n8n-workflows/src/flows.spec.ts).
 */
export const directusCollections = {
  products: {
    apiOwned: [
      'sku',
      'name',
      'slug',
      'price_cents',
      'currency',
      'stock',
      'status',
      'category',
      'options',
      'version',
      'synced_at',
    ],
    editorOwned: ['description', 'images', 'highlights', 'seo_title', 'seo_description'],
  },
  /** Written by catalog-sync v2 and later; the product's `options` too. */
  product_variants: {
    apiOwned: ['product', 'sku', 'option_values', 'price_cents', 'stock', 'version', 'sort', 'synced_at'],
    editorOwned: ['image'],
  },
  categories: {
    apiOwned: ['name', 'slug', 'parent', 'version', 'synced_at'],
    editorOwned: ['description', 'seo_title', 'seo_description'],
  },
} as const;

const stateOf = <T extends string>(fields: readonly T[]) =>
  fields.filter((field) => field !== 'version' && field !== 'synced_at') as Exclude<
    T,
    'version' | 'synced_at'
  >[];

/** The API-owned fields that carry the item's state (not the sync's bookkeeping). */
export const directusStateFields = {
  product: stateOf(directusCollections.products.apiOwned),
  category: stateOf(directusCollections.categories.apiOwned),
  variant: stateOf(directusCollections.product_variants.apiOwned),
};

/**
 * The state fields a catalog-sync flow writes, by the event schema version it accepts: a flow of
 * schema version 1 writes no `options` and no variants (they travel from schema version 2 on),
 * so the reconciliation compares only what the active flow writes.
 */
export function directusSyncedFields(schemaVersion: 1 | 2) {
  return {
    product: directusStateFields.product.filter((field) => schemaVersion >= 2 || field !== 'options'),
    category: directusStateFields.category,
    variant: schemaVersion >= 2 ? directusStateFields.variant : [],
  };
}
