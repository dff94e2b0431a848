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
      'version',
      'synced_at',
    ],
    editorOwned: ['description', 'images', 'highlights', 'seo_title', 'seo_description'],
  },
  categories: {
    apiOwned: ['name', 'slug', 'parent', 'version', 'synced_at'],
    editorOwned: ['description', 'seo_title', 'seo_description'],
  },
} as const;

/** The API-owned fields that carry the item's state (not the sync's bookkeeping). */
export const directusStateFields = {
  product: directusCollections.products.apiOwned.filter(
    (field) => field !== 'version' && field !== 'synced_at',
  ),
  category: directusCollections.categories.apiOwned.filter(
    (field) => field !== 'version' && field !== 'synced_at',
  ),
};
