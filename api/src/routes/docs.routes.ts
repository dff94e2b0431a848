import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import type { ApiRouter, ApiState } from '../http/api-state';
import { buildOpenApiDocument } from '../openapi/openapi-document';

/** The reference page's script, from the installed package (no CDN); its hosted extras are switched off. */
const scalarBundle = join(
  dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')),
  'browser',
  'standalone.js',
);

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Lapak API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="docs/scalar.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

const init = `Scalar.createApiReference('#app', {
  url: 'openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
});
`;

/** Everything the page may load comes from this server, and no other site may frame it. */
const pagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** `GET /api/v1/openapi.json` and the browsable reference at `GET /api/v1/docs`. */
export function docsRoutes(deps: ApiDeps): ApiRouter {
  const router = new Router<ApiState>();
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;

  router.get('/openapi.json', (ctx) => {
    document ??= buildOpenApiDocument({ serverUrl: deps.config.API_PUBLIC_URL });
    ctx.body = document;
  });

  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', pagePolicy);
    ctx.body = page;
  });

  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = init;
  });

  router.get('/docs/scalar.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = createReadStream(scalarBundle);
  });

  return router;
}
