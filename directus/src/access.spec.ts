import { describe, expect, it } from 'vitest';
import { storefrontImagePresets } from '@lapak/contracts';
import { assetSettings, editorFileFields, editorPolicy, publicPolicy, syncPolicy } from './access';
import { directusSecurityEnv, uploadMimeTypes } from './directus-env';
import { directusQueryLimitMax, ids } from './fields';

const fileRule = (action: string) =>
  editorPolicy.permissions.find((rule) => rule.collection === 'directus_files' && rule.action === action)!;
const inProductImages = { folder: { _eq: ids.productImagesFolder } };

describe('the editor’s rights on files', () => {
  it('writes no uploader, no timestamps and no id, and keeps every file in the product images folder', () => {
    for (const field of [
      'uploaded_by',
      'uploaded_on',
      'created_on',
      'modified_by',
      'modified_on',
      'id',
      '*',
    ]) {
      expect(editorFileFields, field).not.toContain(field);
    }
    expect(fileRule('create')).toMatchObject({
      fields: editorFileFields,
      validation: inProductImages,
      presets: { folder: ids.productImagesFolder },
    });
    expect(fileRule('update')).toMatchObject({
      fields: editorFileFields,
      permissions: inProductImages,
      validation: inProductImages,
    });
    expect(fileRule('delete').permissions).toEqual({
      _and: [inProductImages, { uploaded_by: { _eq: '$CURRENT_USER' } }],
    });
  });

  it('shows the public files of the product images folder only', () => {
    const read = publicPolicy.permissions.find((rule) => rule.collection === 'directus_files')!;
    expect(read.permissions).toEqual(inProductImages);
  });
});

describe('what Directus lets anyone ask of it', () => {
  it('transforms images into the storefront’s presets only', () => {
    expect(assetSettings.storage_asset_transform).toBe('presets');
    expect(assetSettings.storage_asset_presets.map((preset) => preset.key)).toEqual(
      storefrontImagePresets.map((preset) => preset.key),
    );
    for (const preset of assetSettings.storage_asset_presets) {
      expect(preset.width).toBeLessThanOrEqual(
        Number(directusSecurityEnv.ASSETS_TRANSFORM_IMAGE_MAX_DIMENSION),
      );
      expect(preset.withoutEnlargement).toBe(true);
      expect(preset.transforms).toEqual([]);
    }
  });

  it('takes uploads of image types only, limits reads and requests', () => {
    for (const type of uploadMimeTypes) expect(type).toMatch(/^image\/[a-z0-9.+-]+$/);
    expect(directusSecurityEnv.FILES_MIME_TYPE_ALLOW_LIST.split(',')).toEqual([...uploadMimeTypes]);
    expect(directusSecurityEnv.QUERY_LIMIT_MAX).toBe(String(directusQueryLimitMax));
    expect(directusSecurityEnv.RATE_LIMITER_ENABLED).toBe('true');
  });
});

describe('the rights on product variants', () => {
  const rule = (policy: typeof publicPolicy, collection: string, action: string) =>
    policy.permissions.find((p) => p.collection === collection && p.action === action);
  /** A variant's fields the API owns, which the sync writes; of them, the sync's bookkeeping. */
  const apiOwned = [
    'id',
    'product',
    'sku',
    'option_values',
    'price_cents',
    'stock',
    'version',
    'sort',
    'synced_at',
  ];
  const bookkeeping = ['version', 'synced_at'];

  it('shows the public the variants of published products, without the sync bookkeeping', () => {
    const read = rule(publicPolicy, 'product_variants', 'read')!;
    expect(read.permissions).toEqual({ product: { status: { _eq: 'published' } } });
    const shown = apiOwned.filter((field) => !bookkeeping.includes(field));
    expect(read.fields).toEqual(expect.arrayContaining([...shown, 'image']));
    for (const field of bookkeeping) expect(read.fields).not.toContain(field);
    expect(rule(publicPolicy, 'products', 'read')!.fields).toEqual(
      expect.arrayContaining(['options', 'variants']),
    );
  });

  it('lets editors change a variant’s image only, and the sync create and read its API-owned fields only', () => {
    expect(rule(editorPolicy, 'product_variants', 'update')!.fields).toEqual(['image']);
    expect(rule(editorPolicy, 'product_variants', 'create')).toBeUndefined();
    expect(rule(editorPolicy, 'product_variants', 'delete')).toBeUndefined();
    expect(rule(syncPolicy, 'product_variants', 'create')!.fields).toEqual(apiOwned);
    expect(rule(syncPolicy, 'product_variants', 'read')!.fields).toEqual(apiOwned);
    for (const action of ['update', 'delete'])
      expect(rule(syncPolicy, 'product_variants', action)).toBeUndefined();
  });
});
