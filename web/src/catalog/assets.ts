import { config } from '../config';

/**
 * Directus renders the storefront's asset presets and no other transformation (`directus:apply`
 * sets them from `@lapak/contracts`' image-presets.ts): a picture is `/assets/<id>?key=<preset>`,
 * never a free width, format or chain of operations. The keys are spelled here rather than
 * imported, since the contract's index would bring its schemas and zod to the first page;
 * assets.spec.ts holds them to the contract's list.
 */
export const imageWidths = [160, 320, 480, 640, 960, 1280] as const;

export type ImageWidth = (typeof imageWidths)[number];

/** The WebP preset `width` pixels wide (a smaller original comes at its own size: presets never enlarge). */
export const imagePresetKey = (width: ImageWidth): string => `lapak-w${width}`;

/** The picture shown when a page is shared (Open Graph): JPEG, 1200 pixels wide. */
export const sharePresetKey = 'lapak-share';

/** A Directus asset URL for one of the presets: `/assets/<id>?key=lapak-w640`. */
export function assetUrl(id: string, key: string, baseUrl = config.directusUrl): string {
  return `${baseUrl}/assets/${encodeURIComponent(id)}?key=${encodeURIComponent(key)}`;
}

/** The picture `width` pixels wide, WebP. */
export const imageUrl = (id: string, width: ImageWidth, baseUrl = config.directusUrl): string =>
  assetUrl(id, imagePresetKey(width), baseUrl);

/**
 * A `srcset` of the presets narrower than the original, then the next one up described at the
 * original's own width (Directus does not enlarge it), so the browser downloads the smallest
 * image that fills its slot at the screen's density and never an upscaled one. Every preset when
 * the original's width is unknown.
 */
export function assetSrcset(id: string, originalWidth: number | null, baseUrl = config.directusUrl): string {
  const entries: [ImageWidth, number][] = [];
  for (const width of imageWidths) {
    if (!originalWidth || width < originalWidth) entries.push([width, width]);
    else {
      entries.push([width, originalWidth]);
      break;
    }
  }
  return entries.map(([preset, width]) => `${imageUrl(id, preset, baseUrl)} ${width}w`).join(', ');
}
