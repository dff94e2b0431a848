import { directusQueryLimitMax } from './fields';

/**
 * What may be uploaded into Directus at all, by anyone: pictures. SVG is among them (the demo
 * catalog's pictures are SVG); Directus serves every asset with `Content-Security-Policy:
 * default-src 'none'`, so a script in an SVG opened on its own runs nowhere, and the storefront
 * shows pictures only through `<img>` (which never runs one).
 */
export const uploadMimeTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/avif',
  'image/gif',
  'image/svg+xml',
] as const;

/**
 * Directus's settings that bound what any client, above all an anonymous one, can ask of it: the
 * same wherever it runs (`pnpm start`'s directusEnv spreads them; docker-compose.yml's directus
 * service is checked against them). Transformations are limited to presets by its project
 * settings (`assetSettings` in access.ts, applied by `directus:apply`), not here.
 *
 * - `QUERY_LIMIT_MAX`: no read answers more items (an anonymous `limit=-1` included).
 * - The rate limiter: requests per client address and second. The catalog sync reaches Directus
 *   from one address (n8n's) with a few requests per batch, well under it.
 * - Uploads: images only, at most 10 MB each.
 * - Image transformations: a few at once (each is CPU for sharp), of images up to 6000 pixels a
 *   side (a phone's photo passes, a decompression bomb does not).
 */
export const directusSecurityEnv = {
  QUERY_LIMIT_MAX: String(directusQueryLimitMax),
  RATE_LIMITER_ENABLED: 'true',
  RATE_LIMITER_POINTS: '200',
  RATE_LIMITER_DURATION: '1',
  FILES_MIME_TYPE_ALLOW_LIST: uploadMimeTypes.join(','),
  FILES_MAX_UPLOAD_SIZE: '10mb',
  ASSETS_TRANSFORM_MAX_CONCURRENT: '4',
  ASSETS_TRANSFORM_IMAGE_MAX_DIMENSION: '6000',
} as const;

/**
 * Directus's data cache stays off wherever Lapak runs (`pnpm start`'s directusEnv spreads this;
 * docker-compose.yml's directus service is checked against it), as measured by
 * bench/catalog-read.bench.ts (docs/benchmarks.md):
 *
 * - A stale catalog after a sync write is not acceptable, and the cache's purge cannot prevent one:
 *   a read that queried PostgreSQL before a write committed stores its answer after the write's
 *   purge, and that answer is served until the next write or `CACHE_TTL`.
 * - Every write empties the whole cache (each sync batch writes at least twice: its receipt, then
 *   the items), so while the sync is writing the cache serves about as many pages as none.
 */
export const directusCacheEnv = {
  CACHE_ENABLED: 'false',
} as const;
