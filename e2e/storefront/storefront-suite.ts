/**
 * What every storefront browser test file shares: the production build served with the API and
 * Directus it talks to, Chromium, a shopper per browser context whose console errors fail the
 * test, and the checks every key page passes (screenshots at phone and desktop widths, no
 * sideways scrolling, axe-core's WCAG 2.1 A and AA rules).
 *
 *   const env = useTestEnv();
 *   const shop = useStorefront(env);          // the stack too: shop.stack
 *   const { page } = await shop.shopper('ana');
 *   await page.goto(shop.url);
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Config } from '@lapak/core';
import { sampleShippingAddress, type TestEnv } from '@lapak/core/testing';
import { eventually, useStack, type Json, type Stack } from '../support/stack';
import {
  accessibilityViolations,
  artifactsDir,
  launchChromium,
  screenshots,
  watchConsole,
  type ConsoleWatch,
} from './browser';
import { buildStorefront, serveStorefront, type StorefrontServer } from './storefront-server';

export interface Storefront {
  readonly stack: Stack;
  /** The shop's origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly browser: Browser;
  /** While true, the shop's Directus proxy answers 502 as if Directus were down. */
  catalogDown: boolean;
  /** A new browser context (its own storage) at desktop size, and its console watch. */
  shopper(label: string): Promise<{ page: Page; console: ConsoleWatch }>;
  /** `POST /api/v1/<path>` as the admin; expects 201 and returns the body. */
  create<T = Json>(path: string, body: Record<string, unknown>): Promise<T>;
  /** Waits for product `id` in Directus (and for `check` to hold of it). */
  inDirectus(id: string, check?: (item: Record<string, Json>) => boolean): Promise<Record<string, Json>>;
  /** A published product in euros (`fields` add to or replace those), once Directus has it. */
  product(
    name: string,
    priceCents: number,
    stock: number,
    fields?: Record<string, unknown>,
  ): Promise<{ id: string; slug: string }>;
  /** A shopper's account, made through the API. */
  account(name: string): Promise<{ email: string; token: string }>;
  /** A shopper with an account (made through the API), logged in through the shop in a browser of their own. */
  loggedIn(label: string, name: string): Promise<Page>;
}

/**
 * Builds and serves the storefront for the calling test file and starts its stack (`overrides`
 * go to its config; the shop's origin is added to CORS_ORIGINS). Each file builds into a
 * directory of its own, so two runs in one checkout do not overwrite each other's build.
 */
export function useStorefront(env: TestEnv, overrides: Partial<Config> = {}): Storefront {
  /** Filled in before the stack starts: the API must allow the storefront's origin. */
  const stackOverrides: Partial<Config> = { ...overrides };
  let server: StorefrontServer | undefined;
  let browser: Browser | undefined;
  let distDir: string | undefined;
  const contexts: { context: BrowserContext; console: ConsoleWatch; label: string }[] = [];

  const shop: Storefront = {
    get stack() {
      return stack;
    },
    get url() {
      if (!server) throw new Error('useStorefront: the shop is ready only inside tests and hooks');
      return server.url;
    },
    get browser() {
      if (!browser) throw new Error('useStorefront: the browser is ready only inside tests and hooks');
      return browser;
    },
    catalogDown: false,
    async shopper(label) {
      const context = await shop.browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-US',
      });
      const console = watchConsole(context, label);
      contexts.push({ context, console, label });
      return { page: await context.newPage(), console };
    },
    async create<T>(path: string, body: Record<string, unknown>) {
      const res = await stack.api.request('POST', `/api/v1/${path}`, { token: stack.adminToken, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as T;
    },
    inDirectus: (id, check = () => true) =>
      eventually(`product ${id} in Directus`, async () => {
        const item = await stack.directus.item('products', id);
        return item && check(item) ? item : null;
      }),
    async product(name, priceCents, stock, fields = {}) {
      const created = await shop.create<{ id: string; slug: string }>('products', {
        sku: `P-${randomUUID().slice(0, 8)}`,
        name,
        priceCents,
        currency: 'EUR',
        stock,
        status: 'published',
        ...fields,
      });
      await shop.inDirectus(created.id);
      return created;
    },
    async account(name) {
      const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
      const res = await stack.api.request('POST', '/api/v1/auth/register', {
        body: { email, password: shopperPassword, name },
      });
      expect(res.status).toBe(201);
      return { email, token: res.body.token as string };
    },
    async loggedIn(label, name) {
      const { email } = await shop.account(name);
      const { page } = await shop.shopper(label);
      await logIn(page, shop.url, email);
      return page;
    },
  };

  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'lapak-storefront-'));
    await buildStorefront(distDir);
    server = await serveStorefront({
      distDir,
      // The browser calls the API directly (CORS) and reaches Directus under the shop's origin.
      runtimeConfig: () => ({ apiUrl: stack.api.url, directusUrl: `${server!.url}/directus` }),
      directusProxyTarget: () => (shop.catalogDown ? 'http://127.0.0.1:1' : stack.cms.directusUrl),
    });
    stackOverrides.CORS_ORIGINS = server.url;
    browser = await launchChromium();
  });

  const stack = useStack(env, stackOverrides);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (distDir) await rm(distDir, { recursive: true, force: true });
  });

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

  return shop;
}

/**
 * A key page: screenshots at phone and desktop widths, nothing wider than the screen at either,
 * and no WCAG 2.1 A/AA rule of axe-core broken (labels, contrast, names, landmarks…).
 */
export async function keyPage(page: Page, name: string) {
  expect(await screenshots(page, name), `${name}: sideways overflow`).toEqual({ phone: 0, desktop: 0 });
  expect(await accessibilityViolations(page), `${name}: accessibility`).toEqual([]);
}

/**
 * `expect.poll` with time for the whole stack to answer (password hashing, the sync, the worker)
 * on a busy two-core machine, instead of its default of one second.
 */
export const poll = <T>(check: () => Promise<T>, timeout = 20_000) =>
  expect.poll(check, { timeout, interval: 100 });

/** Waits until the order page shows the order in `value` (its `data-status`). */
export const orderStatus = (page: Page, value: string, timeout = 30_000) =>
  page.locator(`[data-testid=order-page][data-status=${value}]`).waitFor({ timeout });

/** The password every shopper of these tests has. */
export const shopperPassword = 'a long enough password';

/**
 * Logs in through the shop's form, from the current page's shop, and waits until the header
 * greets the shopper: the session (access token in memory, refresh cookie) is then in place.
 */
export async function logIn(page: Page, shopUrl: string, email: string) {
  await page.goto(`${shopUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(shopperPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function register(page: Page, name: string, email: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(shopperPassword);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** An address as the checkout form takes it (labels as the shopper reads them). */
export interface CheckoutAddress {
  name: string;
  phone: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** The country's name as the select lists it (the browser's language is English). */
  country: string;
}

/** Fills the cart page's shipping address with the keyboard's worth of typing a shopper does. */
export async function fillAddress(page: Page, address: CheckoutAddress) {
  const form = page.getByTestId('checkout-details');
  await form.getByLabel('Full name').fill(address.name);
  await form.getByLabel('Phone').fill(address.phone);
  await form.getByLabel('Address', { exact: true }).fill(address.line1);
  await form.getByLabel('Address line 2 (optional)').fill(address.line2 ?? '');
  await form.getByLabel('City').fill(address.city);
  await form.getByLabel('Postal code').fill(address.postalCode);
  await form.getByLabel('Province or region (optional)').fill(address.region ?? '');
  await form.getByLabel('Country').selectOption({ label: address.country });
}

/** Places the order in the cart and waits for its page: the order's id. */
export async function placeOrder(page: Page): Promise<string> {
  await page.getByTestId('place-order').click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

/** True while the page is the same document as when `markDocument` ran (no reload happened). */
export const markDocument = (page: Page) =>
  page.evaluate(() => void ((globalThis as Json).__sameDocument = true));
export const sameDocument = (page: Page) => page.evaluate(() => (globalThis as Json).__sameDocument === true);

/** Chooses how to pay on the cart page. */
export const choosePayment = (page: Page, method: 'Bank transfer' | 'Cash on delivery') =>
  page.getByTestId('payment-methods').getByLabel(method, { exact: true }).check();

/** Siti's address (the tests' sample shipping address), as typed into the checkout. */
export const sitiAddress: CheckoutAddress = { ...sampleShippingAddress, country: 'Indonesia' };
