import { directusStateFields, storefrontImagePresets } from '@lapak/contracts';
import { DirectusClient } from './directus-client';
import { collections, ids, ownCollections, syncUserEmail } from './fields';

type Filter = Record<string, unknown>;

export interface PermissionSpec {
  collection: string;
  action: 'create' | 'read' | 'update' | 'delete';
  fields: string[];
  /** Item filter: which rows the rule covers (empty: all). */
  permissions?: Filter;
  /** What the written values must satisfy (create, update). */
  validation?: Filter;
  /** Values a create gets when it does not say. */
  presets?: Record<string, unknown>;
}

export interface PolicySpec {
  id: string;
  /** How the changes name it. */
  label: string;
  name: string;
  icon: string;
  description: string;
  app_access: boolean;
  admin_access: boolean;
  permissions: PermissionSpec[];
  /** Collections whose permissions on this policy are managed here (extra rules there are removed). */
  manages: readonly string[];
}

const { products, categories, product_variants: variants } = collections;
const publishedProduct = { status: { _eq: 'published' } };

/**
 * Everything the shop window shows of a published product (its variants too, through the
 * `variants` alias), of a variant of one, or of a category (no sync bookkeeping).
 */
const publicProductFields = ['id', ...directusStateFields.product, ...products.editorOwned, 'variants'];
const publicVariantFields = ['id', ...directusStateFields.variant, ...variants.editorOwned];
const publicCategoryFields = ['id', ...directusStateFields.category, ...categories.editorOwned];
const publicFileFields = [
  'id',
  'title',
  'description',
  'type',
  'width',
  'height',
  'filesize',
  'filename_download',
  'focal_point_x',
  'focal_point_y',
];

/** Public (no token): published products, categories, and the images of published products. */
export const publicPolicy: PolicySpec = {
  id: ids.publicPolicy,
  label: 'Public',
  name: '$t:public_label',
  icon: 'public',
  description: '$t:public_description',
  app_access: false,
  admin_access: false,
  manages: [...ownCollections, 'directus_files'],
  permissions: [
    { collection: 'products', action: 'read', fields: publicProductFields, permissions: publishedProduct },
    {
      collection: 'product_variants',
      action: 'read',
      fields: publicVariantFields,
      permissions: { product: publishedProduct },
    },
    { collection: 'categories', action: 'read', fields: publicCategoryFields },
    {
      collection: 'products_files',
      action: 'read',
      fields: ['id', 'products_id', 'directus_files_id', 'sort'],
      permissions: { products_id: publishedProduct },
    },
    {
      collection: 'directus_files',
      action: 'read',
      fields: publicFileFields,
      permissions: { folder: { _eq: ids.productImagesFolder } },
    },
  ],
};

const inProductImages = { folder: { _eq: ids.productImagesFolder } };

/**
 * What an editor may write of a file: what describes it and what an upload or a replacement of
 * its content writes (storage, names, type, size, dimensions, metadata). Not who uploaded it
 * (`uploaded_by`: the delete rule trusts it) nor the timestamps, which Directus writes itself.
 * `folder` is written by every upload and replacement, so it is listed, and the validation holds
 * it to the product images folder: a file cannot be moved out of it.
 */
export const editorFileFields = [
  'storage',
  'filename_disk',
  'filename_download',
  'title',
  'type',
  'folder',
  'charset',
  'filesize',
  'width',
  'height',
  'duration',
  'embed',
  'description',
  'location',
  'tags',
  'metadata',
  'focal_point_x',
  'focal_point_y',
];

/**
 * Editors: read everything of the catalog, change only editor-owned fields (a variant's image,
 * from the product's form: the product's `variants` is what carries it), manage the product
 * images: upload into the product images folder only, change only files in it (never their folder
 * or uploader), delete only their own uploads there. What may be uploaded at all (image types,
 * size) is Directus's setting (directusSecurityEnv).
 */
export const editorPolicy: PolicySpec = {
  id: ids.editorPolicy,
  label: 'Catalog editor',
  name: 'Catalog editor',
  icon: 'edit_note',
  description: 'Enriches products and categories: descriptions, images, highlights, SEO fields.',
  app_access: true,
  admin_access: false,
  manages: [...ownCollections, 'directus_files', 'directus_folders'],
  permissions: [
    { collection: 'products', action: 'read', fields: ['*'] },
    { collection: 'products', action: 'update', fields: [...products.editorOwned, 'variants'] },
    { collection: 'product_variants', action: 'read', fields: ['*'] },
    { collection: 'product_variants', action: 'update', fields: [...variants.editorOwned] },
    { collection: 'categories', action: 'read', fields: ['*'] },
    { collection: 'categories', action: 'update', fields: [...categories.editorOwned] },
    ...(['create', 'read', 'update', 'delete'] as const).map((action) => ({
      collection: 'products_files',
      action,
      fields: ['*'],
    })),
    {
      collection: 'directus_files',
      action: 'create',
      fields: editorFileFields,
      validation: inProductImages,
      presets: { folder: ids.productImagesFolder },
    },
    { collection: 'directus_files', action: 'read', fields: ['*'] },
    {
      collection: 'directus_files',
      action: 'update',
      fields: editorFileFields,
      permissions: inProductImages,
      validation: inProductImages,
    },
    {
      collection: 'directus_files',
      action: 'delete',
      fields: ['*'],
      permissions: { _and: [inProductImages, { uploaded_by: { _eq: '$CURRENT_USER' } }] },
    },
    { collection: 'directus_folders', action: 'read', fields: ['*'] },
  ],
};

/**
 * The catalog sync (the n8n flow, and reconciliation's reads): creates products, their variants
 * and categories (the version fence makes a create of a held item an update), reading and writing
 * only their API-owned fields, and writes deletes as tombstones. No update or delete of its own,
 * no Studio access.
 */
export const syncPolicy: PolicySpec = {
  id: ids.syncPolicy,
  label: 'Catalog sync',
  name: 'Catalog sync',
  icon: 'sync',
  description: 'The catalog sync from the Lapak API: API-owned fields only.',
  app_access: false,
  admin_access: false,
  manages: ownCollections,
  permissions: [
    ...(['products', 'product_variants', 'categories'] as const).flatMap((collection) => {
      const apiOwned = [...collections[collection].apiOwned];
      return [
        // Every write is a create: the version fence turns a create of an item Directus holds
        // into an update of these fields, and deletes are tombstones.
        { collection, action: 'create' as const, fields: ['id', ...apiOwned] },
        { collection, action: 'read' as const, fields: ['id', ...apiOwned] },
      ];
    }),
    // Deletes are written as tombstones (the version fence); reconciliation prunes old ones.
    { collection: 'sync_tombstones', action: 'create', fields: ['id', 'collection', 'item', 'version'] },
    { collection: 'sync_tombstones', action: 'read', fields: ['*'] },
    { collection: 'sync_tombstones', action: 'delete', fields: ['*'] },
    { collection: 'sync_fence_refusals', action: 'read', fields: ['*'] },
    // The flow records each batch's webhook-id before applying it; a second create of the same
    // id fails, and the batch is refused as a replay. Reconciliation prunes old receipts.
    { collection: 'sync_webhook_receipts', action: 'create', fields: ['id'] },
    { collection: 'sync_webhook_receipts', action: 'read', fields: ['*'] },
    { collection: 'sync_webhook_receipts', action: 'delete', fields: ['*'] },
  ],
};

export const roles = [
  {
    id: ids.editorRole,
    name: 'Editor',
    icon: 'edit_note',
    description: 'Content editors',
    policy: ids.editorPolicy,
    policyName: 'Catalog editor',
  },
  {
    id: ids.syncRole,
    name: 'Catalog sync',
    icon: 'sync',
    description: 'The catalog sync user (static token)',
    policy: ids.syncPolicy,
    policyName: 'Catalog sync',
  },
];

/** What applying changed, one line per change. */
export type Changes = string[];

interface PermissionRow {
  id: number;
  policy: string | null;
  collection: string;
  action: string;
  fields: string[] | null;
  permissions: Filter | null;
  validation: Filter | null;
  presets: Filter | null;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, normalize(inner)]),
    );
  }
  return value;
}
const emptyToNull = (value: Filter | null | undefined) =>
  value && Object.keys(value).length > 0 ? value : null;

/** Creates or updates a row by id; returns what it did. */
async function upsertById(
  client: DirectusClient,
  path: string,
  what: string,
  wanted: Record<string, unknown> & { id: string },
): Promise<Changes> {
  const current = await client.find<Record<string, unknown>>(`${path}/${wanted.id}`);
  if (!current) {
    await client.request('POST', path, wanted);
    return [`created ${what}`];
  }
  const differing = Object.keys(wanted).filter((key) => !sameJson(current[key], wanted[key]));
  if (differing.length === 0) return [];
  await client.request(
    'PATCH',
    `${path}/${wanted.id}`,
    Object.fromEntries(differing.map((k) => [k, wanted[k]])),
  );
  return [`updated ${what} (${differing.join(', ')})`];
}

async function applyPermissions(client: DirectusClient, policy: PolicySpec): Promise<Changes> {
  const changes: Changes = [];
  const rows = await client.get<PermissionRow[]>(
    `/permissions?limit=-1&filter[policy][_eq]=${policy.id}&filter[collection][_in]=${policy.manages.join(',')}`,
  );
  const existing = rows.filter((row) => row.policy === policy.id && policy.manages.includes(row.collection));
  const label = (p: { collection: string; action: string }) => `${policy.label}: ${p.action} ${p.collection}`;
  const keep = new Set<number>();
  for (const wanted of policy.permissions) {
    const body = {
      policy: policy.id,
      collection: wanted.collection,
      action: wanted.action,
      fields: wanted.fields,
      permissions: wanted.permissions ?? {},
      validation: wanted.validation ?? {},
      presets: wanted.presets ?? null,
    };
    const match = existing.find(
      (row) => row.collection === wanted.collection && row.action === wanted.action && !keep.has(row.id),
    );
    if (!match) {
      await client.request('POST', '/permissions', body);
      changes.push(`created permission ${label(wanted)} [${wanted.fields.join(', ')}]`);
      continue;
    }
    keep.add(match.id);
    const same =
      sameJson([...(match.fields ?? [])].sort(), [...wanted.fields].sort()) &&
      sameJson(emptyToNull(match.permissions), emptyToNull(wanted.permissions)) &&
      sameJson(emptyToNull(match.validation), emptyToNull(wanted.validation)) &&
      sameJson(emptyToNull(match.presets), emptyToNull(wanted.presets));
    if (!same) {
      await client.request('PATCH', `/permissions/${match.id}`, body);
      changes.push(`updated permission ${label(wanted)} [${wanted.fields.join(', ')}]`);
    }
  }
  for (const row of existing) {
    if (keep.has(row.id)) continue;
    await client.request('DELETE', `/permissions/${row.id}`);
    changes.push(`removed permission ${label(row)}`);
  }
  return changes;
}

async function applyRole(client: DirectusClient, role: (typeof roles)[number]): Promise<Changes> {
  const { policy, policyName, ...fields } = role;
  const changes = await upsertById(client, '/roles', `role ${role.name}`, fields);
  const links = await client.get<{ id: string }[]>(
    `/access?filter[role][_eq]=${role.id}&filter[policy][_eq]=${policy}&fields=id`,
  );
  if (links.length === 0) {
    await client.request('POST', '/access', { role: role.id, policy });
    changes.push(`attached policy ${policyName} to role ${role.name}`);
  }
  return changes;
}

/** The sync user with its static token; the token is checked by using it, since Directus never shows it. */
async function applySyncUser(client: DirectusClient, syncToken: string): Promise<Changes> {
  const changes = await upsertById(client, '/users', `user ${syncUserEmail}`, {
    id: ids.syncUser,
    email: syncUserEmail,
    first_name: 'Catalog',
    last_name: 'sync',
    role: ids.syncRole,
    status: 'active',
  });
  const asSync = new DirectusClient(client.url, syncToken);
  const me = await asSync.find<{ id: string }>('/users/me?fields=id').catch(() => null);
  if (me?.id !== ids.syncUser) {
    await client.request('PATCH', `/users/${ids.syncUser}`, { token: syncToken });
    changes.push(`set the static token of ${syncUserEmail}`);
  }
  return changes;
}

/**
 * Directus transforms images into the storefront's presets only (`?key=`; its own Studio's
 * `system-*` keys too): any other transformation query is refused with 400, so an anonymous
 * client cannot make it render arbitrary sizes or chains of operations.
 */
export const assetSettings = {
  storage_asset_transform: 'presets',
  storage_asset_presets: storefrontImagePresets.map((preset) => ({
    key: preset.key,
    fit: 'inside',
    width: preset.width,
    height: null,
    quality: preset.quality,
    withoutEnlargement: true,
    format: preset.format,
    transforms: [],
  })),
};

async function applyAssetSettings(client: DirectusClient): Promise<Changes> {
  const current = await client.get<Record<string, unknown>>(
    '/settings?fields=storage_asset_transform,storage_asset_presets',
  );
  const differing = (Object.keys(assetSettings) as (keyof typeof assetSettings)[]).filter(
    (key) => !sameJson(current[key], assetSettings[key]),
  );
  if (differing.length === 0) return [];
  await client.request('PATCH', '/settings', assetSettings);
  return [`updated settings (${differing.join(', ')})`];
}

/** Roles, policies, permissions, the product images folder, asset presets and the sync user. */
export async function applyAccess(client: DirectusClient, options: { syncToken: string }): Promise<Changes> {
  const changes: Changes = [];
  changes.push(
    ...(await upsertById(client, '/folders', 'folder Product images', {
      id: ids.productImagesFolder,
      name: 'Product images',
    })),
  );
  for (const policy of [editorPolicy, syncPolicy]) {
    const { id, name, icon, description, app_access, admin_access } = policy;
    changes.push(
      ...(await upsertById(client, '/policies', `policy ${name}`, {
        id,
        name,
        icon,
        description,
        app_access,
        admin_access,
      })),
    );
  }
  for (const role of roles) changes.push(...(await applyRole(client, role)));
  for (const policy of [publicPolicy, editorPolicy, syncPolicy]) {
    changes.push(...(await applyPermissions(client, policy)));
  }
  changes.push(...(await applyAssetSettings(client)));
  changes.push(...(await applySyncUser(client, options.syncToken)));
  return changes;
}
