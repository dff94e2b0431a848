import { config } from '../config';

/** Widths the storefront asks Directus for; one transformation each, cached by Directus. */
export const imageWidths = [160, 320, 480, 640, 960, 1280] as const;

export interface AssetOptions {
  width?: number;
  height?: number;
  fit?: 'cover' | 'contain' | 'inside' | 'outside';
  quality?: number;
  format?: 'webp' | 'avif' | 'jpg' | 'png' | 'auto';
}

/** A Directus asset URL: `/assets/<id>?width=…&format=webp`, resized by Directus. */
export function assetUrl(id: string, options: AssetOptions = {}, baseUrl = config.directusUrl): string {
  const params = new URLSearchParams();
  if (options.width) params.set('width', String(options.width));
  if (options.height) params.set('height', String(options.height));
  if (options.fit) params.set('fit', options.fit);
  params.set('quality', String(options.quality ?? 80));
  params.set('format', options.format ?? 'webp');
  return `${baseUrl}/assets/${encodeURIComponent(id)}?${params}`;
}

/**
 * A `srcset` of the widths up to the original's (no upscaling), so the browser downloads the
 * smallest image that fills its slot at the screen's density.
 */
export function assetSrcset(
  id: string,
  originalWidth: number | null,
  options: Omit<AssetOptions, 'width'> = {},
  baseUrl = config.directusUrl,
): string {
  const widths: number[] = imageWidths.filter((width) => !originalWidth || width < originalWidth);
  if (originalWidth) widths.push(Math.min(originalWidth, imageWidths.at(-1)!));
  return [...new Set(widths)]
    .map((width) => `${assetUrl(id, { ...options, width }, baseUrl)} ${width}w`)
    .join(', ');
}
