import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/start/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginxConf, storefrontContentSecurityPolicy, storefrontOrigins } from './render-nginx-conf';

/**
 * The storefront's nginx.conf, rendered as the image build renders it, on a real nginx (Debian's
 * `nginx-light`, installed by scripts/system-deps.sh; the image runs nginx 1.29, and the config
 * uses nothing that changed since 1.22): the headers every kind of answer carries.
 */
const origins = storefrontOrigins({
  VITE_API_URL: 'https://api.shop.example',
  VITE_DIRECTUS_URL: 'https://cms.shop.example',
});
const policy = storefrontContentSecurityPolicy(origins);
const dir = mkdtempSync(join(tmpdir(), 'lapak-nginx-'));
/** Debian installs it in /usr/sbin, which a user's PATH may lack. */
const nginxBin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
let nginx: ChildProcess | undefined;
let base = '';

beforeAll(async () => {
  const found = spawnSync(nginxBin, ['-v'], { encoding: 'utf8' });
  if (found.error) throw new Error('nginx is not installed: run scripts/system-deps.sh');
  const html = join(dir, 'html');
  mkdirSync(join(html, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(html, 'index.html'), '<!doctype html><title>Lapak</title><div id="app"></div>');
  writeFileSync(join(html, 'assets', 'index-abc123.js'), 'console.log("shop");');
  // nginx's workers read the files as an unprivileged user.
  for (const path of [dir, html, join(html, 'assets')]) chmodSync(path, 0o755);

  const port = await freePort();
  const template = readFileSync(join(import.meta.dirname, 'nginx.conf'), 'utf8');
  expect(template).toContain('listen 8080;');
  expect(template).toContain('root /usr/share/nginx/html;');
  const site = renderNginxConf(template, origins)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace('root /usr/share/nginx/html;', `root ${html};`);
  writeFileSync(join(dir, 'site.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${join(dir, 'tmp', name)};`)
    .join('\n  ');
  // What the image's own nginx.conf gives conf.d/default.conf: an http block with MIME types.
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {}
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  ${temp}
  include ${join(dir, 'site.conf')};
}
`,
  );
  const check = spawnSync(
    'nginx',
    ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      encoding: 'utf8',
    },
  );
  expect(check.status, check.stderr).toBe(0);
  nginx = spawn(nginxBin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: 'ignore',
  });
  base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${base}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (attempt > 100)
      throw new Error(`nginx did not answer:\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

function expectSecurityHeaders(response: Response, what: string) {
  expect(response.headers.get('content-security-policy'), what).toBe(policy);
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('x-frame-options'), what).toBe('DENY');
  expect(response.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(response.headers.get('server'), what).toBe('nginx');
}

describe('the storefront behind nginx', () => {
  it('sends the security headers with the page, its routes, its assets and a missing file', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, '/');
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const route = await fetch(`${base}/products/kopi-gayo`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');
    expectSecurityHeaders(route, 'an app route');
    expect(route.headers.get('cache-control')).toBe('no-cache');

    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expectSecurityHeaders(asset, 'an asset');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const missing = await fetch(`${base}/assets/gone-000.js`);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, 'a 404');
    expect(missing.headers.get('cache-control')).toBeNull();
  });

  it('sends HSTS only when the TLS proxy in front says the request came over TLS', async () => {
    expect((await fetch(`${base}/`)).headers.get('strict-transport-security')).toBeNull();
    const overHttp = await fetch(`${base}/`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(overHttp.headers.get('strict-transport-security')).toBeNull();
    const overTls = await fetch(`${base}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expectSecurityHeaders(overTls, 'over TLS');
  });
});
