/**
 * The storefront in Debian's Chromium against the whole stack: the API and worker, Directus and
 * the n8n sync, PostgreSQL and Redis. Screenshots of the key pages at phone and desktop widths
 * go to e2e/artifacts/storefront/. Any console error the test did not provoke fails it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@lapak/core';
import { useTestEnv } from '@lapak/core/testing';
import { ids as directusIds } from '../directus/src/fields';
import {
  accessibilityViolations,
  artifactsDir,
  launchChromium,
  screenshots,
  watchConsole,
  type ConsoleWatch,
} from './storefront/browser';
import { buildStorefront, serveStorefront, type StorefrontServer } from './storefront/storefront-server';
import { DirectusClient, eventually, useStack } from './support/stack';

const env = useTestEnv();
/** Filled in before the stack starts: the API must allow the storefront's origin. */
const overrides: Partial<Config> = {};
let shop: StorefrontServer;
let browser: Browser;
/** While true, the shop's Directus proxy answers 502 as if Directus were down. */
let catalogDown = false;

beforeAll(async () => {
  const distDir = join(artifactsDir, 'dist');
  await buildStorefront(distDir);
  shop = await serveStorefront({
    distDir,
    // The browser calls the API directly (CORS) and reaches Directus under the shop's origin.
    runtimeConfig: () => ({ apiUrl: stack.api.url, directusUrl: `${shop.url}/directus` }),
    directusProxyTarget: () => (catalogDown ? 'http://127.0.0.1:1' : stack.cms.directusUrl),
  });
  overrides.CORS_ORIGINS = shop.url;
  browser = await launchChromium();
});

const stack = useStack(env, overrides);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const contexts: { context: BrowserContext; console: ConsoleWatch; label: string }[] = [];
async function shopper(label: string): Promise<{ page: Page; console: ConsoleWatch }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const console = watchConsole(context, label);
  contexts.push({ context, console, label });
  return { page: await context.newPage(), console };
}

afterEach(async ({ task }) => {
  // A failed test leaves a picture of where each shopper was.
  if (task.result?.state === 'fail') {
    for (const { context, label } of contexts) {
      for (const [index, page] of context.pages().entries()) {
        await page
          .screenshot({ path: join(artifactsDir, `failed-${label}-${index}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  }
  const problems = contexts.flatMap(({ console }) => [
    ...console.unexpected,
    ...console.pending().map((pattern) => `expected console error never came: ${pattern}`),
  ]);
  await Promise.all(contexts.splice(0).map(({ context }) => context.close()));
  expect(problems).toEqual([]);
});

async function create<T = Record<string, any>>(path: string, body: Record<string, unknown>): Promise<T> {
  const res = await stack.api.request('POST', `/api/v1/${path}`, { token: stack.adminToken, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as T;
}

const inDirectus = (id: string, check: (item: Record<string, any>) => boolean = () => true) =>
  eventually(`product ${id} in Directus`, async () => {
    const item = await stack.directus.item('products', id);
    return item && check(item) ? item : null;
  });

/** A content editor of Directus (the Editor role from directus/), with a static token. */
async function directusEditor(): Promise<DirectusClient> {
  const token = randomBytes(24).toString('hex');
  const { status, data } = await stack.directus.request('POST', '/users', {
    email: `editor-${randomUUID().slice(0, 8)}@lapak.example.com`,
    password: randomBytes(16).toString('hex'),
    role: directusIds.editorRole,
    status: 'active',
    token,
  });
  expect(status, JSON.stringify(data)).toBe(200);
  return new DirectusClient(stack.cms.directusUrl, token);
}

/** A product photo: a PNG that Chromium draws. */
async function photo(label: string, hue: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
  await page.setContent(
    `<body style="margin:0"><div style="width:1200px;height:1200px;display:grid;place-items:center;` +
      `background:linear-gradient(135deg,hsl(${hue} 55% 84%),hsl(${hue + 40} 50% 60%));` +
      `font:700 120px sans-serif;color:hsl(${hue} 45% 22%)">${label}</div></body>`,
  );
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

/** Uploads a file into the product images folder as `editor`; returns its id. */
async function upload(editor: DirectusClient, png: Buffer, title: string): Promise<string> {
  const form = new FormData();
  form.append('folder', directusIds.productImagesFolder);
  form.append('title', title);
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), `${title}.png`);
  const response = await fetch(`${editor.url}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor.token}` },
    body: form,
  });
  const body = (await response.json()) as { data: { id: string } };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.data.id;
}

/** The order worker of the stack, to hold orders pending while the page watches. */
function orderWorker() {
  const worker = stack.worker.workers.workers.find((w) => w.name.endsWith('orders'));
  if (!worker) throw new Error(`no order worker among ${stack.worker.workers.workers.map((w) => w.name)}`);
  return worker;
}

async function register(page: Page, name: string, email: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
}

/**
 * A key page: screenshots at phone and desktop widths, nothing wider than the screen at either,
 * and no WCAG 2.1 A/AA rule of axe-core broken (labels, contrast, names, landmarks…).
 */
async function keyPage(page: Page, name: string) {
  expect(await screenshots(page, name), `${name}: sideways overflow`).toEqual({ phone: 0, desktop: 0 });
  expect(await accessibilityViolations(page), `${name}: accessibility`).toEqual([]);
}

/**
 * `expect.poll` with time for the whole stack to answer (password hashing, the sync, the worker)
 * on a busy two-core machine, instead of its default of one second.
 */
const poll = <T>(check: () => Promise<T>) => expect.poll(check, { timeout: 20_000, interval: 100 });

const status = (page: Page, value: string) =>
  page.locator(`[data-testid=order-page][data-status=${value}]`).waitFor({ timeout: 30_000 });

describe('storefront in Chromium', () => {
  it('a shopper finds a product made through the API and enriched in Directus, registers, checks out and sees it confirmed', async () => {
    const category = await create<{ id: string; slug: string }>('categories', { name: 'Kitchen' });
    const product = await create<{ id: string; slug: string }>('products', {
      sku: `MUG-${randomUUID().slice(0, 6)}`,
      name: 'Stoneware mug, sea green',
      priceCents: 1850,
      currency: 'EUR',
      stock: 5,
      status: 'published',
      categoryId: category.id,
    });
    // A draft never reaches the shop.
    await create('products', {
      sku: `DRAFT-${randomUUID().slice(0, 6)}`,
      name: 'Stoneware mug prototype',
      priceCents: 100,
      currency: 'EUR',
      stock: 9,
    });
    await inDirectus(product.id);

    // A content editor enriches it in Directus: a photo, a description, highlights, SEO fields.
    const editor = await directusEditor();
    const imageId = await upload(editor, await photo('Mug', 160), 'Stoneware mug');
    const enriched = await editor.request('PATCH', `/items/products/${product.id}`, {
      description:
        '<h2>Made by hand</h2><p>Thrown on the wheel and glazed in <strong>sea green</strong>.</p>' +
        '<ul><li>Holds 350 ml</li><li>Dishwasher safe</li></ul>' +
        '<p><img alt="" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" ' +
        'onload="window.__hacked = 1"></p><script>window.__hacked = 2</script>',
      highlights: ['Made in small batches', 'Lead-free glaze'],
      seo_title: 'Sea green stoneware mug',
      seo_description: 'A hand-thrown 350 ml stoneware mug in a sea green glaze.',
      images: [{ directus_files_id: imageId }],
    });
    expect(enriched.status, JSON.stringify(enriched.data)).toBe(200);

    // Someone already uses the email the shopper tries first.
    const taken = `taken-${randomUUID().slice(0, 8)}@example.com`;
    const first = await stack.api.request('POST', '/api/v1/auth/register', {
      body: { email: taken, password: 'a long enough password', name: 'Early bird' },
    });
    expect(first.status).toBe(201);

    const { page, console } = await shopper('shopper');
    await page.goto(shop.url);
    await page.getByLabel('Search').fill('stoneware');
    await page.getByLabel('Search').press('Enter');
    await poll(() => page.getByTestId('results-count').textContent()).toBe('1 product for “stoneware”');
    const card = page.getByTestId('product-card');
    await poll(() => card.textContent()).toContain('€18.50');
    expect(await card.getByTestId('stock').textContent()).toBe('Only 5 left');
    expect(await card.locator('img').getAttribute('src')).toContain(`/assets/${imageId}?width=`);
    await keyPage(page, '01-catalog-search');

    await card.getByRole('link', { name: 'Stoneware mug, sea green' }).click();
    await page.getByTestId('product-page').waitFor();
    await poll(() => page.title()).toBe('Sea green stoneware mug · Lapak');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(
      'A hand-thrown 350 ml stoneware mug in a sea green glaze.',
    );
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toContain(
      `/assets/${imageId}?width=1200`,
    );
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(
      `${shop.url}/products/${product.slug}`,
    );
    const description = page.getByTestId('description');
    expect(await description.locator('h2').textContent()).toBe('Made by hand');
    expect(await description.locator('li').allTextContents()).toEqual(['Holds 350 ml', 'Dishwasher safe']);
    expect(await description.innerHTML()).not.toMatch(/script|onload/);
    expect(await page.evaluate(() => (globalThis as { __hacked?: number }).__hacked)).toBeUndefined();
    expect(await page.getByTestId('highlights').locator('li').allTextContents()).toEqual([
      'Made in small batches',
      'Lead-free glaze',
    ]);
    const photoElement = page.locator('.gallery__main img');
    expect(await photoElement.getAttribute('srcset')).toMatch(/width=320&quality=80&format=webp 320w/);
    await poll(() =>
      photoElement.evaluate((img: any) => (img.complete ? img.naturalWidth : 0)),
    ).toBeGreaterThan(0);
    expect(await photoElement.evaluate((img: any) => img.currentSrc)).toContain('format=webp');
    await keyPage(page, '02-product');

    // Two into the cart; the stock bounds the quantity.
    const increase = page.getByRole('button', { name: 'Increase quantity' });
    for (let i = 0; i < 6; i++) if (await increase.isEnabled()) await increase.click();
    expect(await page.getByLabel('Quantity', { exact: true }).inputValue()).toBe('5');
    await page.getByRole('button', { name: 'Decrease quantity' }).click({ clickCount: 3 });
    expect(await page.getByLabel('Quantity', { exact: true }).inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await poll(() => page.getByTestId('cart-count').textContent()).toBe('2');

    await page.getByTestId('cart-link').click();
    await page.getByTestId('cart-lines').waitFor();
    expect(await page.getByTestId('cart-total').textContent()).toBe('€37.00');
    await keyPage(page, '03-cart');

    // Checking out needs an account; the API's answer for a taken email shows beside the field.
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByTestId('register-form').waitFor();
    console.expect(/status of 409/);
    await register(page, 'Ana', taken);
    await poll(() => page.getByTestId('field-error').textContent()).toBe('Email already registered');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await keyPage(page, '04-register-error');

    const email = `ana-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${shop.url}/cart`);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Hi, Ana');

    // The session and the cart outlive a reload.
    await page.reload();
    await page.getByTestId('cart-lines').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Hi, Ana');
    expect(await page.getByTestId('cart-count').textContent()).toBe('2');

    // Hold the worker so the page is seen pending first, then confirmed live.
    const worker = orderWorker();
    await worker.pause();
    try {
      await page.getByTestId('place-order').dblclick();
      await status(page, 'pending');
      expect(await page.getByTestId('order-status').textContent()).toBe('Processing');
      expect(await page.getByTestId('order-status-live').getAttribute('aria-live')).toBe('polite');
      await keyPage(page, '05-order-pending');
    } finally {
      await worker.resume();
    }
    await status(page, 'confirmed');
    expect(await page.getByTestId('order-status-text').textContent()).toBe(
      'Your items are reserved and your order is confirmed.',
    );
    expect(await page.getByTestId('order-total').textContent()).toBe('€37.00');
    expect(await page.getByTestId('cart-count').count()).toBe(0);
    await keyPage(page, '06-order-confirmed');

    // The double click made one order, not two.
    const session = await page.evaluate(() =>
      JSON.parse((globalThis as any).localStorage.getItem('lapak.session.v1')),
    );
    const orders = await stack.api.request('GET', '/api/v1/orders', { token: session.token });
    expect(orders.body.items).toHaveLength(1);
    expect(orders.body.items[0]).toMatchObject({ status: 'confirmed', totalCents: 3700, currency: 'EUR' });

    await page.getByRole('link', { name: 'All your orders' }).click();
    await page.getByTestId('order-list').waitFor();
    expect(await page.getByTestId('order-list').locator('li').count()).toBe(1);
    expect(await page.getByTestId('order-list').textContent()).toContain('Confirmed');
    await keyPage(page, '07-order-history');

    // The stock the order took reaches Directus through the sync, and so the shop.
    await inDirectus(product.id, (item) => item.stock === 3);
    await page.goto(`${shop.url}/products/${product.slug}`);
    await poll(() => page.getByTestId('stock').textContent()).toBe('Only 3 left');

    // Logging out ends the session; the orders page then asks to log in.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${shop.url}/orders`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/orders');
  });

  it('a sold-out race: two shoppers order the last one, one is confirmed, the other sees it failed and why', async () => {
    const product = await create<{ id: string; slug: string }>('products', {
      sku: `LAST-${randomUUID().slice(0, 6)}`,
      name: 'Batik scarf, last one',
      priceCents: 12_900,
      currency: 'EUR',
      stock: 1,
      status: 'published',
    });
    await inDirectus(product.id);

    const shoppers: Page[] = [];
    for (const name of ['Budi', 'Citra']) {
      const { page } = await shopper(name);
      await page.goto(`${shop.url}/products/${product.slug}`);
      expect(await page.getByTestId('stock').textContent()).toBe('Only 1 left');
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByTestId('cart-link').click();
      await page.getByRole('link', { name: 'Create an account' }).click();
      await register(page, name, `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`);
      await page.getByTestId('place-order').waitFor();
      shoppers.push(page);
    }

    // Both orders are pending at once; the worker then decides them together.
    const worker = orderWorker();
    await worker.pause();
    try {
      await Promise.all(shoppers.map((page) => page.getByTestId('place-order').click()));
      await Promise.all(shoppers.map((page) => status(page, 'pending')));
    } finally {
      await worker.resume();
    }
    const outcomes = await Promise.all(
      shoppers.map(async (page) => {
        await page
          .locator('[data-testid=order-page]:not([data-status=pending])')
          .waitFor({ timeout: 30_000 });
        return page.getByTestId('order-page').getAttribute('data-status');
      }),
    );
    expect([...outcomes].sort()).toEqual(['confirmed', 'failed']);

    const loser = shoppers[outcomes.indexOf('failed')]!;
    expect(await loser.getByTestId('order-status').textContent()).toBe('Failed');
    expect(await loser.getByTestId('order-status-text').textContent()).toBe(
      'Some items sold out before we could reserve them, so nothing was ordered.',
    );
    await keyPage(loser, '08-order-failed-sold-out');

    await inDirectus(product.id, (item) => item.stock === 0);
    await loser.goto(`${shop.url}/products/${product.slug}`);
    await poll(() => loser.getByTestId('stock').textContent()).toBe('Sold out');
    expect(await loser.getByRole('button', { name: 'Add to cart' }).count()).toBe(0);
    await keyPage(loser, '09-product-sold-out');
  });

  it('says so when nothing matches and when the catalog cannot be reached, and recovers', async () => {
    const basket = await create<{ id: string }>('products', {
      sku: `BASKET-${randomUUID().slice(0, 6)}`,
      name: 'Rattan basket, round',
      priceCents: 4200,
      currency: 'EUR',
      stock: 12,
      status: 'published',
    });
    await inDirectus(basket.id);
    const { page, console } = await shopper('states');

    await page.goto(`${shop.url}/?q=${encodeURIComponent('porcelain teapot')}`);
    await page.getByTestId('state-empty').waitFor();
    expect(await page.getByTestId('state-empty').textContent()).toContain('No products found');
    expect(await page.getByTestId('results-count').textContent()).toBe('0 products for “porcelain teapot”');
    await keyPage(page, '10-catalog-nothing-found');
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await page.getByTestId('product-card').first().waitFor();
    expect(new URL(page.url()).search).toBe('');

    // Directus down: the grid says so in plain words and offers to try again.
    const badGateway = /status of 502/;
    console.allow(badGateway);
    catalogDown = true;
    try {
      await page.reload();
      const error = page.getByTestId('state-error');
      await error.waitFor();
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await error.textContent()).toContain(
        'The catalog is busy right now. Please try again in a moment.',
      );
      await keyPage(page, '11-catalog-unreachable');
    } finally {
      catalogDown = false;
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('product-card').first().waitFor();
    console.disallow(badGateway);
    expect(await page.getByTestId('product-card').first().textContent()).toContain('Rattan basket, round');
  });

  it('works with the keyboard alone, focus always visible and moved to each new page', async () => {
    const { page } = await shopper('keyboard');
    /** The focused element: its tag, id, text and whether a focus outline shows. */
    const focused = () =>
      page.evaluate(() => {
        const element = (globalThis as any).document.activeElement;
        const style = (globalThis as any).getComputedStyle(element);
        return {
          tag: element.tagName as string,
          id: element.id as string,
          text: (element.textContent as string).trim(),
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        };
      });
    /** Tabs forward until the focused element's text starts with `text` (at most 30 stops). */
    async function tabTo(text: string) {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (now.text.startsWith(text)) {
          expect(now.outlined, `focus outline on "${text}"`).toBe(true);
          return;
        }
      }
      throw new Error(`no "${text}" within 30 Tab presses`);
    }

    await page.goto(shop.url);
    await page.getByTestId('product-card').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', text: 'Skip to content', outlined: true });
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main');

    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'INPUT', outlined: true });
    await page.keyboard.type('rattan');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('results-count').textContent()).toBe('1 product for “rattan”');

    await tabTo('Rattan basket, round');
    await page.keyboard.press('Enter');
    await page.getByTestId('product-page').waitFor();
    // Focus moves to the new page's heading, and its title is announced.
    await poll(() => focused()).toMatchObject({ tag: 'H1', text: 'Rattan basket, round' });
    await poll(() => page.getByTestId('route-announcer').textContent()).toContain('Rattan basket, round');

    await tabTo('Add to cart');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('cart-count').textContent()).toBe('1');
  });
});
