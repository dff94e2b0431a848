/**
 * Renders deploy/web/nginx.conf for the storefront's image: its Content-Security-Policy allows
 * exactly the API and Directus the bundle was built for. The Dockerfile runs it with Node's own
 * TypeScript support (no dependencies), with the same build arguments Vite bakes into the bundle:
 *
 *   node deploy/web/render-nginx-conf.ts deploy/web/nginx.conf > nginx.conf
 *
 * with VITE_API_URL and VITE_DIRECTUS_URL in the environment.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StorefrontOrigins {
  api: string;
  directus: string;
}

/** The origins (scheme, host, port; no path) of the API and Directus the bundle calls. */
export function storefrontOrigins(env: Record<string, string | undefined>): StorefrontOrigins {
  const origin = (name: 'VITE_API_URL' | 'VITE_DIRECTUS_URL') => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the policy would not allow the storefront's calls`);
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name}: not an http(s) URL`);
    return url.origin;
  };
  return { api: origin('VITE_API_URL'), directus: origin('VITE_DIRECTUS_URL') };
}

/**
 * The storefront's Content-Security-Policy: its own scripts, styles and fonts; pictures from
 * itself and Directus; calls (fetch, EventSource) to itself, the API and Directus; no plugins;
 * `<base>` and forms on its own origin; no framing by anyone.
 */
export function storefrontContentSecurityPolicy(origins: StorefrontOrigins): string {
  const unique = (...sources: string[]) => [...new Set(sources)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${unique("'self'", 'data:', origins.directus)}`,
    "font-src 'self'",
    `connect-src ${unique("'self'", origins.api, origins.directus)}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The template with its tokens filled in; throws if one is left. */
export function renderNginxConf(template: string, origins: StorefrontOrigins): string {
  const policy = storefrontContentSecurityPolicy(origins);
  if (/["\\$]/.test(policy)) throw new Error('an origin holds a character nginx would read as syntax');
  const rendered = template.replaceAll('__LAPAK_CSP__', policy);
  const left = /__LAPAK_[A-Z_]+__/.exec(rendered);
  if (left) throw new Error(`nginx.conf: ${left[0]} was not filled in`);
  return rendered;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const templatePath = process.argv[2];
  if (!templatePath) throw new Error('usage: node render-nginx-conf.ts <template>');
  process.stdout.write(renderNginxConf(readFileSync(templatePath, 'utf8'), storefrontOrigins(process.env)));
}
