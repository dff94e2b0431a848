import type { RunSettings } from './settings';

/** What the storefront's build bakes in: where the browser finds the API and Directus. */
export function webBuildEnv(settings: RunSettings): Record<string, string> {
  return {
    VITE_API_URL: settings.urls.api,
    VITE_DIRECTUS_URL: settings.urls.directus,
  };
}
