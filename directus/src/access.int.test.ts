import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePresetKey, storefrontImagePresets } from '@lapak/contracts';
import { loadConfig } from '@lapak/core';
import { testDirectus, type TestDirectus } from '../../e2e/support/test-directus';
import { freePort } from '../../scripts/start/processes';
import { installCms } from '../../scripts/cms';
import { applyDirectus } from './apply-directus';
import { DirectusClient } from './directus-client';
import { directusSecurityEnv } from './directus-env';
import { directusQueryLimitMax, ids } from './fields';

/**
 * The editor's rights on files, the upload types and the public's bounds, on a real Directus (the
 * pinned one, installed by scripts/install-cms.sh; installing takes minutes the first time) with
 * the settings every deployment gives it (directusSecurityEnv) and this project's access applied.
 */
const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
const database = `lapak_t_daccess_${randomBytes(3).toString('hex')}`;
const adminToken = randomBytes(24).toString('hex');
let work = '';
let url = '';
let directus: TestDirectus | undefined;
let admin: DirectusClient;
let editor: DirectusClient;
let otherEditor: DirectusClient;

/** A PNG of 1×1 pixel. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Uploads a file as `token`'s user; returns the status and, when created, the file's id. */
async function upload(
  token: string,
  file: { body: Buffer | string; type: string; name: string },
  fields: Record<string, string> = {},
  method: 'POST' | 'PATCH' = 'POST',
  id?: string,
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([file.body], { type: file.type }), file.name);
  const response = await fetch(`${url}/files${id ? `/${id}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await response.json().catch(() => ({}))) as { data?: { id: string } };
  return { status: response.status, id: body.data?.id };
}

async function call(token: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : null,
  };
}

const tokens = { editor: randomBytes(20).toString('hex'), other: randomBytes(20).toString('hex') };

beforeAll(async () => {
  const install = await installCms({ quiet: true });
  work = await mkdtemp(join(tmpdir(), 'lapak-directus-access-'));
  directus = await testDirectus({
    install,
    work,
    serverUrl: base.DATABASE_URL,
    database,
    port: await freePort(),
    adminToken,
    logFile: join(work, 'directus.log'),
    // What every deployment sets; the rate limiter as the native run keeps it.
    env: { ...directusSecurityEnv, RATE_LIMITER_STORE: 'memory' },
  });
  url = directus.url;
  await directus.start();
  await applyDirectus({
    url,
    adminToken,
    syncToken: randomBytes(24).toString('hex'),
    databaseUrl: directus.databaseUrl,
    nodeEnv: 'test',
  });
  admin = new DirectusClient(url, adminToken);
  for (const token of Object.values(tokens)) {
    await admin.request('POST', '/users', {
      email: `editor-${randomBytes(4).toString('hex')}@lapak.example.com`,
      role: ids.editorRole,
      token,
      status: 'active',
    });
  }
  editor = new DirectusClient(url, tokens.editor);
  otherEditor = new DirectusClient(url, tokens.other);
}, 900_000);

afterAll(async () => {
  await directus?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const picture = { body: png, type: 'image/png', name: 'kopi.png' };

describe('an editor and the product images', () => {
  it('uploads pictures into the product images folder only, never another type', async () => {
    const created = await upload(tokens.editor, picture, { folder: ids.productImagesFolder });
    expect(created.status).toBe(200);
    // An upload that names no folder lands in the product images folder.
    const unfiled = await upload(tokens.editor, picture);
    expect(unfiled.status).toBe(200);
    const file = await admin.get<{ folder: string }>(`/files/${unfiled.id}?fields=folder`);
    expect(file.folder).toBe(ids.productImagesFolder);
    // Elsewhere: refused.
    const folder = await admin.request<{ id: string }>('POST', '/folders', { name: 'Elsewhere' });
    expect([400, 403]).toContain((await upload(tokens.editor, picture, { folder: folder.id })).status);
    // Not a picture: refused, for the editor and the admin alike.
    const pdf = { body: '%PDF-1.4 not really', type: 'application/pdf', name: 'price-list.pdf' };
    expect((await upload(tokens.editor, pdf)).status).not.toBe(200);
    expect((await upload(adminToken, pdf, { folder: ids.productImagesFolder })).status).not.toBe(200);
    const html = { body: '<script>alert(1)</script>', type: 'text/html', name: 'page.html' };
    expect((await upload(tokens.editor, html)).status).not.toBe(200);
  });

  it('changes files in the product images folder, but not their folder nor who uploaded them', async () => {
    const { id } = await upload(tokens.editor, picture, { folder: ids.productImagesFolder });
    await editor.request('PATCH', `/files/${id}`, { title: 'Kopi Gayo', description: 'A cup' });
    // Replacing the picture keeps it where it is.
    expect((await upload(tokens.editor, picture, {}, 'PATCH', id)).status).toBe(200);
    const elsewhere = await admin.request<{ id: string }>('POST', '/folders', { name: 'Private' });
    const moved = await call(tokens.editor, 'PATCH', `/files/${id}`, { folder: elsewhere.id });
    expect(moved.status).toBe(400);
    const me = await editor.get<{ id: string }>('/users/me?fields=id');
    const others = await otherEditor.get<{ id: string }>('/users/me?fields=id');
    const disowned = await call(tokens.editor, 'PATCH', `/files/${id}`, { uploaded_by: others.id });
    expect(disowned.status).toBe(403);
    const file = await admin.get<{ folder: string; uploaded_by: string; title: string }>(
      `/files/${id}?fields=folder,uploaded_by,title`,
    );
    expect(file).toEqual({ folder: ids.productImagesFolder, uploaded_by: me.id, title: 'Kopi Gayo' });
  });

  it('cannot change or delete a file outside the product images folder, nor delete another’s', async () => {
    const folder = await admin.request<{ id: string }>('POST', '/folders', { name: 'Contracts' });
    const { id: outside } = await upload(adminToken, picture, { folder: folder.id });
    expect((await call(tokens.editor, 'PATCH', `/files/${outside}`, { title: 'mine now' })).status).toBe(403);
    expect((await call(tokens.editor, 'DELETE', `/files/${outside}`)).status).toBe(403);
    const { id: theirs } = await upload(tokens.other, picture, { folder: ids.productImagesFolder });
    expect((await call(tokens.editor, 'DELETE', `/files/${theirs}`)).status).toBe(403);
    expect((await call(tokens.other, 'DELETE', `/files/${theirs}`)).status).toBe(204);
  });
});

describe('the public', () => {
  it('gets pictures through the storefront’s presets only', async () => {
    const { id } = await upload(adminToken, picture, { folder: ids.productImagesFolder });
    expect((await fetch(`${url}/assets/${id}`)).status).toBe(200);
    for (const preset of storefrontImagePresets) {
      const response = await fetch(`${url}/assets/${id}?key=${preset.key}`);
      expect(response.status, preset.key).toBe(200);
      expect(response.headers.get('content-type'), preset.key).toBe(`image/${preset.format}`);
    }
    for (const query of [
      'width=4000',
      'width=320&format=webp',
      `key=${imagePresetKey(320)}&width=4000`,
      'transforms=[["blur",40]]',
    ]) {
      expect((await fetch(`${url}/assets/${id}?${query}`)).status, query).toBe(400);
    }
  });

  it('reads at most QUERY_LIMIT_MAX items at once', async () => {
    const response = await call(null, 'GET', '/items/categories?limit=5000');
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(String(directusQueryLimitMax));
    // With more than that to read, "all of them" (`limit=-1`) gets that many and no more.
    const many = Array.from({ length: directusQueryLimitMax + 1 }, (_, i) => ({
      id: randomUUID(),
      name: `Category ${i}`,
      slug: `category-${i}`,
      version: 1,
    }));
    await admin.request('POST', '/items/categories?fields=id', many);
    try {
      const all = await call(null, 'GET', '/items/categories?limit=-1&fields=id');
      expect(all.status).toBe(200);
      expect(all.body.data).toHaveLength(directusQueryLimitMax);
    } finally {
      await admin.request(
        'DELETE',
        '/items/categories',
        many.map((category) => category.id),
      );
    }
  });

  it('is slowed down past the rate limit, with Retry-After', async () => {
    const points = Number(directusSecurityEnv.RATE_LIMITER_POINTS);
    // Ping is the cheapest answer Directus has: the requests arrive well within one second.
    const answers = await Promise.all(Array.from({ length: points * 3 }, () => fetch(`${url}/server/ping`)));
    const limited = answers.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(0);
    await Promise.all(answers.map((response) => response.body?.cancel()));
  });
});
