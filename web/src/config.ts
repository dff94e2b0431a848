/** Where the storefront finds Directus (catalog) and the Lapak API (accounts, orders). */
export interface StorefrontConfig {
  directusUrl: string;
  apiUrl: string;
}

declare global {
  interface Window {
    /**
     * Optional run-time override, set by a server that injects
     * `<script>window.__LAPAK_CONFIG__ = {…}</script>` into index.html, so one build can be
     * served against any Directus and API.
     */
    __LAPAK_CONFIG__?: Partial<StorefrontConfig>;
  }
}

export const defaultConfig: StorefrontConfig = {
  directusUrl: 'http://127.0.0.1:8055',
  apiUrl: 'http://127.0.0.1:3000',
};

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** Run-time override first, then the build's VITE_* variables, then the local defaults. */
export function resolveConfig(
  env: { VITE_DIRECTUS_URL?: string; VITE_API_URL?: string },
  runtime: Partial<StorefrontConfig> = {},
): StorefrontConfig {
  return {
    directusUrl: withoutTrailingSlash(
      runtime.directusUrl || env.VITE_DIRECTUS_URL || defaultConfig.directusUrl,
    ),
    apiUrl: withoutTrailingSlash(runtime.apiUrl || env.VITE_API_URL || defaultConfig.apiUrl),
  };
}

export const config: StorefrontConfig = resolveConfig(
  import.meta.env,
  typeof window === 'undefined' ? {} : window.__LAPAK_CONFIG__,
);
