/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Directus base URL the storefront reads the catalog from (default http://127.0.0.1:8055). */
  readonly VITE_DIRECTUS_URL?: string;
  /** Lapak API base URL, without /api/v1 (default http://127.0.0.1:3000). */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
