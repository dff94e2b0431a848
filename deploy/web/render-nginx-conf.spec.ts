import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxConf, storefrontContentSecurityPolicy, storefrontOrigins } from './render-nginx-conf';

const root = join(import.meta.dirname, '../..');
const template = readFileSync(join(import.meta.dirname, 'nginx.conf'), 'utf8');
const origins = storefrontOrigins({
  VITE_API_URL: 'https://api.shop.example/',
  VITE_DIRECTUS_URL: 'https://cms.shop.example:8443/some/path',
});
const rendered = renderNginxConf(template, origins);

/** The policy's directives: name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

/** The lines of each `location` block (top-level blocks of the server only). */
function locationBlocks(conf: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  for (const line of conf.split('\n')) {
    if (/^\s*location\b/.test(line)) current = [];
    else if (current && /^\s*}\s*$/.test(line)) {
      blocks.push(current);
      current = null;
    } else current?.push(line);
  }
  return blocks;
}

describe('the storefront’s nginx.conf', () => {
  it('allows exactly the API and Directus origins the bundle was built for, nothing inline', () => {
    expect(origins).toEqual({ api: 'https://api.shop.example', directus: 'https://cms.shop.example:8443' });
    const policy = storefrontContentSecurityPolicy(origins);
    expect(rendered).toContain(`add_header Content-Security-Policy "${policy}" always;`);
    const parsed = directives(policy);
    expect(parsed.get('default-src')).toEqual(["'self'"]);
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.get('style-src')).toEqual(["'self'"]);
    expect(parsed.get('connect-src')).toEqual(["'self'", origins.api, origins.directus]);
    expect(parsed.get('img-src')).toEqual(["'self'", 'data:', origins.directus]);
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    // No other host, no wildcard, nothing inline or evaluated anywhere in the policy.
    const hosts = [...parsed.values()].flat().filter((source) => /^[a-z]+:\/\/|\*/.test(source));
    expect(new Set(hosts)).toEqual(new Set([origins.api, origins.directus]));
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('sends nosniff, DENY framing, a referrer policy and HSTS behind TLS on every answer', () => {
    for (const header of [
      'add_header X-Content-Type-Options "nosniff" always;',
      'add_header X-Frame-Options "DENY" always;',
      'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
      'add_header Strict-Transport-Security $lapak_hsts always;',
    ]) {
      expect(rendered).toContain(header);
    }
    expect(rendered).toMatch(
      /map \$http_x_forwarded_proto \$lapak_hsts \{\s*https "max-age=31536000; includeSubDomains";\s*default "";/,
    );
  });

  it('sets headers at server level only: a location’s own add_header would drop them all', () => {
    const blocks = locationBlocks(rendered);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(block.filter((line) => /\badd_header\b/.test(line))).toEqual([]);
  });

  it('refuses to render without both URLs, or with a token left unfilled', () => {
    expect(() => storefrontOrigins({ VITE_API_URL: 'https://api.shop.example' })).toThrow(
      /VITE_DIRECTUS_URL/,
    );
    expect(() => storefrontOrigins({ VITE_API_URL: 'ftp://x', VITE_DIRECTUS_URL: 'https://y' })).toThrow(
      /VITE_API_URL/,
    );
    expect(() => renderNginxConf(`${template}\n# __LAPAK_OTHER__`, origins)).toThrow('__LAPAK_OTHER__');
    expect(rendered).not.toMatch(/__LAPAK_/);
  });

  it('is rendered by the image build from the build arguments the bundle is built with', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(
      /RUN VITE_API_URL="\$VITE_API_URL" VITE_DIRECTUS_URL="\$VITE_DIRECTUS_URL" \\\n\s+node deploy\/web\/render-nginx-conf\.ts deploy\/web\/nginx\.conf > \/repo\/nginx\.conf/,
    );
    expect(dockerfile).toContain('COPY --from=web-build /repo/nginx.conf /etc/nginx/conf.d/default.conf');
    expect(dockerfile).not.toMatch(/COPY deploy\/web\/nginx\.conf/);
  });
});
