import { directusCollections } from '@lapak/contracts';

/** Field ownership (packages/contracts/src/directus.ts): permissions are built from these lists. */
export const collections = directusCollections;

/**
 * The most items one Directus read may answer, for every role (`QUERY_LIMIT_MAX`; a `limit=-1`
 * gets this many). It bounds what an anonymous request can ask of Directus; the storefront's
 * reads, the flow's category read (at most two categories per event of a batch) and the
 * reconciliation's pages all stay within it.
 */
export const directusQueryLimitMax = 1000;

/** The collections whose sync writes the version fence guards (directus/sql/version-fence.sql). */
export const fencedCollections = ['products', 'categories', 'product_variants'] as const;

/**
 * Fenced items that belong to another item and are deleted with it (on delete cascade): the
 * fence refuses a create whose parent Directus does not hold, so that a late delivery neither
 * brings back a child of a deleted parent nor fails its batch on the foreign key.
 */
export const fencedParents = [
  { collection: 'product_variants', field: 'product', parent: 'products' },
] as const;

/**
 * The collections this project's schema defines: the catalog (products, their variants,
 * categories), the junction of product images,
 * the fence's bookkeeping (deletes as tombstones, refused late writes) and the webhook ids of
 * recent batches (replays are refused), which only the sync user sees.
 */
export const ownCollections = [
  'products',
  'product_variants',
  'categories',
  'products_files',
  'sync_tombstones',
  'sync_fence_refusals',
  'sync_webhook_receipts',
] as const;

/** Fixed ids, so that applying twice finds what the first run created. */
export const ids = {
  publicPolicy: 'abf8a154-5b1c-4a46-ac9c-7300570f4f17',
  productImagesFolder: '02428cd7-2e8c-4878-badd-9d667232a90f',
  editorRole: 'b60b0442-4ce7-449a-b7f5-9548bd181453',
  editorPolicy: 'a493c3e6-cdba-43bd-8538-4f65ae5874a2',
  syncRole: '17787c12-ca24-440a-91ae-bc3e7821d61d',
  syncPolicy: 'c7580c96-fc58-40ca-b9b7-c242210c9c84',
  syncUser: '4b3f4efe-f278-493a-ab4d-cb1cc09452e9',
} as const;

export const syncUserEmail = 'catalog-sync@lapak.example.com';
