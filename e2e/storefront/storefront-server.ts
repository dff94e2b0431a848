/**
 * The storefront for browser tests: its production build (vite build, as `pnpm --filter
 * @lapak/web build` makes it) served by a small static server with the SPA fallback, and the
 * API and Directus it talks to set at run time through `window.__LAPAK_CONFIG__`.
 */
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

export const webDir = resolve(import.meta.dirname, '../../web');

/** Builds the storefront into `outDir` (about 10–30 s on two cores). */
export function buildStorefront(outDir: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      join(webDir, 'node_modules/.bin/vite'),
      ['build', '--outDir', outDir, '--emptyOutDir'],
      {
        cwd: webDir,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`vite build failed (${code}):\n${output.slice(-3000)}`)),
    );
  });
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface StorefrontServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  distDir: string;
  /** Read at each page load: where the browser finds the API and Directus. */
  runtimeConfig: () => { apiUrl: string; directusUrl: string };
  /** Requests under /directus/ go to this Directus (the shop and its CMS behind one origin). */
  directusProxyTarget?: () => string;
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string) {
  const url = new URL(req.url!.replace(/^\/directus/, '') || '/', target);
  const upstream = httpRequest(
    url,
    { method: req.method, headers: { ...req.headers, host: url.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy error: ${error.message}`);
  });
  req.pipe(upstream);
}

export async function serveStorefront(options: ServeOptions): Promise<StorefrontServer> {
  const root = resolve(options.distDir);
  const indexHtml = await readFile(join(root, 'index.html'), 'utf8');

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (options.directusProxyTarget && path.startsWith('/directus/')) {
      return proxy(req, res, options.directusProxyTarget());
    }
    const file = normalize(join(root, path));
    if (file.startsWith(root) && extname(file)) {
      const found = await stat(file).catch(() => null);
      if (found?.isFile()) {
        res.writeHead(200, {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
          'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
        res.end(await readFile(file));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // Every other path is a page of the single-page app.
    const script = `<script>window.__LAPAK_CONFIG__ = ${JSON.stringify(options.runtimeConfig())};</script>`;
    res.writeHead(200, { 'content-type': types['.html']!, 'cache-control': 'no-cache' });
    res.end(indexHtml.replace('</head>', `    ${script}\n  </head>`));
  };
  // node:http does not await a handler: a failure (a malformed path, a file gone mid-read) is
  // answered 500 here rather than left an unhandled rejection that fails the whole run.
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`storefront server error: ${String(error)}`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
