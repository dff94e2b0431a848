/**
 * The pictures the storefront asks Directus for, as Directus asset presets (`/assets/<id>?key=…`).
 * Directus transforms images into these sizes and no others (`directus:apply` sets its asset
 * transformations to presets only), so nobody can make it render arbitrary sizes, formats or
 * chains of operations on demand. The storefront builds its URLs and srcsets from this list.
 */
export interface ImagePreset {
  key: string;
  width: number;
  format: 'webp' | 'jpeg';
  quality: number;
}

/** Widths of the catalog's pictures (srcset candidates), WebP. */
export const storefrontImageWidths = [160, 320, 480, 640, 960, 1280] as const;

/** The preset key of a catalog picture `width` pixels wide. */
export const imagePresetKey = (width: (typeof storefrontImageWidths)[number]) => `lapak-w${width}`;

/** The picture shown when a product page is shared (Open Graph): JPEG, which every reader takes. */
export const shareImagePreset: ImagePreset = { key: 'lapak-share', width: 1200, format: 'jpeg', quality: 80 };

export const storefrontImagePresets: ImagePreset[] = [
  ...storefrontImageWidths.map((width) => ({
    key: imagePresetKey(width),
    width,
    format: 'webp' as const,
    quality: 80,
  })),
  shareImagePreset,
];
