/**
 * The storefront in Debian's Chromium against the whole stack: the API and worker, Directus and
 * the n8n sync, PostgreSQL and Redis. Screenshots of the key pages at phone and desktop widths
 * go to e2e/artifacts/storefront/. Any console error the test did not provoke fails it.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '@lapak/core/testing';
import { ids as directusIds } from '../directus/src/fields';
import {
  choosePayment,
  fillAddress,
  keyPage,
  orderStatus as status,
  poll,
  register,
  shopperPassword,
  sitiAddress,
  useStorefront,
} from './storefront/storefront-suite';

const env = useTestEnv();
const shop = useStorefront(env);
const stack = shop.stack;
const { create, inDirectus, shopper } = shop;

/** A product photo: a PNG that Chromium draws. */
async function photo(label: string, hue: number): Promise<Buffer> {
  const page = await shop.browser.newPage({ viewport: { width: 1200, height: 1200 } });
  await page.setContent(
    `<body style="margin:0"><div style="width:1200px;height:1200px;display:grid;place-items:center;` +
      `background:linear-gradient(135deg,hsl(${hue} 55% 84%),hsl(${hue + 40} 50% 60%));` +
      `font:700 120px sans-serif;color:hsl(${hue} 45% 22%)">${label}</div></body>`,
  );
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

/** The order worker of the stack, to hold orders pending while the page watches. */
function orderWorker() {
  const worker = stack.worker.workers.workers.find((w) => w.name.endsWith('orders'));
  if (!worker) throw new Error(`no order worker among ${stack.worker.workers.workers.map((w) => w.name)}`);
  return worker;
}

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
    const editor = await stack.directus.newEditor();
    const imageId = await editor.uploadPng(
      await photo('Mug', 160),
      'Stoneware mug',
      directusIds.productImagesFolder,
    );
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
      body: { email: taken, password: shopperPassword, name: 'Early bird' },
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
    expect(await card.locator('img').getAttribute('src')).toContain(`/assets/${imageId}?key=lapak-w`);
    await keyPage(page, '01-catalog-search');

    await card.getByRole('link', { name: 'Stoneware mug, sea green' }).click();
    await page.getByTestId('product-page').waitFor();
    await poll(() => page.title()).toBe('Sea green stoneware mug · Lapak');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(
      'A hand-thrown 350 ml stoneware mug in a sea green glaze.',
    );
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toContain(
      `/assets/${imageId}?key=lapak-share`,
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
    expect(await photoElement.getAttribute('srcset')).toMatch(/\?key=lapak-w320 320w/);
    await poll(() =>
      photoElement.evaluate((img: any) => (img.complete ? img.naturalWidth : 0)),
    ).toBeGreaterThan(0);
    const shown: string = await photoElement.evaluate((img: any) => img.currentSrc);
    expect(shown).toContain('?key=lapak-w');
    expect((await page.request.get(shown)).headers()['content-type']).toBe('image/webp');
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

    // The checkout asks where to send it and how to pay; the contract's checks run in the browser.
    const details = page.getByTestId('checkout-details');
    await page.getByTestId('place-order').click();
    await poll(() => page.getByTestId('checkout-error').textContent()).toBe(
      'Please correct the highlighted delivery details.',
    );
    expect(await details.getByTestId('field-error').first().textContent()).toBe(
      'Full name must not be empty',
    );
    expect(
      await details
        .getByLabel('Full name')
        .evaluate((input) => input === (input as any).ownerDocument.activeElement),
    ).toBe(true);
    await fillAddress(page, { ...sitiAddress, postalCode: '5' });
    await page.getByTestId('place-order').click();
    await poll(() => details.getByTestId('field-error').allTextContents()).toEqual([
      'Postal code must be a postal code: 2 to 12 letters, digits, spaces or dashes',
    ]);
    await details.getByLabel('Postal code').fill(sitiAddress.postalCode);
    await choosePayment(page, 'Cash on delivery');
    await keyPage(page, '04b-checkout-details');

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
    expect(await page.getByTestId('order-status').textContent()).toBe('Confirmed');
    // The stream's event brings the status; the payment's details come with the order read after it.
    await poll(() => page.getByTestId('order-status-text').textContent()).toBe(
      'Your order is confirmed. Please pay €37.00 in cash to the courier when it arrives.',
    );
    expect(await page.getByTestId('payment-method').textContent()).toBe('Cash on delivery');
    expect(await page.getByTestId('order-address').textContent()).toContain('55271 Yogyakarta');
    expect(await page.getByTestId('order-total').textContent()).toBe('€37.00');
    expect(await page.getByTestId('cart-count').count()).toBe(0);
    await keyPage(page, '06-order-confirmed');

    // The double click made one order, not two. (The page's token lives in its memory only; the
    // test asks the API as Ana through a session of its own.)
    const session = await stack.api.request('POST', '/api/v1/auth/login', {
      body: { email, password: shopperPassword },
    });
    const orders = await stack.api.request('GET', '/api/v1/orders', { token: session.body.token });
    expect(orders.body.items).toHaveLength(1);
    expect(orders.body.items[0]).toMatchObject({
      status: 'confirmed',
      totalCents: 3700,
      currency: 'EUR',
      shippingAddress: { name: 'Siti Rahma', postalCode: '55271', country: 'ID' },
      payment: { method: 'cash_on_delivery', status: 'due_on_delivery', amountCents: 3700 },
    });

    await page.getByRole('link', { name: 'All your orders' }).click();
    await page.getByTestId('order-list').waitFor();
    expect(await page.getByTestId('order-list').locator('li').count()).toBe(1);
    expect(await page.getByTestId('order-status').textContent()).toBe('Confirmed');
    expect(await page.getByTestId('order-payment-note').textContent()).toBe('Cash on delivery');
    await keyPage(page, '07-order-history');

    // The stock the order took reaches Directus through the sync, and so the shop.
    await inDirectus(product.id, (item) => item.stock === 3);
    await page.goto(`${shop.url}/products/${product.slug}`);
    await poll(() => page.getByTestId('stock').textContent()).toBe('Only 3 left');

    // Logging out ends the session and forgets the address; the orders page then asks to log in.
    const remembered = () =>
      page.evaluate(() => (globalThis as any).localStorage.getItem('lapak.address.v1') as string | null);
    expect(await remembered()).toContain('Siti Rahma');
    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await remembered()).toBeNull();
    await page.goto(`${shop.url}/orders`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/orders');
  });

  it('a sold-out race: two shoppers order the last one, one is confirmed, the other sees it failed and why', async () => {
    const product = await shop.product('Batik scarf, last one', 12_900, 1);

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
      await fillAddress(page, { ...sitiAddress, name });
      await choosePayment(page, 'Cash on delivery');
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
    shop.catalogDown = true;
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
      shop.catalogDown = false;
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
