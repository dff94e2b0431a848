/**
 * The shopper's session in the storefront, in Debian's Chromium against the whole stack, with
 * access tokens of one minute (JWT_TTL_SECONDS=60, the least the API allows) and order status
 * streams that the API ends every 5 s. The page keeps its token in memory and renews it from the
 * refresh cookie before it runs out; its status stream reconnects with the renewed token; a
 * reload restores the session from the cookie; logging out ends it for good. A session the API
 * will not renew signs the shopper out, and the page says so.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkoutBody, useTestEnv } from '@lapak/core/testing';
import {
  keyPage,
  logIn,
  markDocument,
  orderStatus,
  poll,
  sameDocument,
  useStorefront,
} from './storefront/storefront-suite';
import type { Json } from './support/stack';

const env = useTestEnv();
const shop = useStorefront(env, { JWT_TTL_SECONDS: 60, SSE_MAX_LIFETIME_MS: 5_000 });
const stack = shop.stack;

const bearer = (token: string) => `Bearer ${token}`;

/** An order of `token`'s shopper, paid by bank transfer, so it stays open (awaiting payment). */
async function openOrder(token: string): Promise<string> {
  const product = await shop.product('Teak serving board', 3200, 5);
  const res = await stack.api.checkout(token, checkoutBody([{ productId: product.id, quantity: 1 }]));
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id as string;
}

/** `POST /auth/<action>` with a refresh cookie, as another device holding it would send it. */
const withCookie = (action: 'refresh' | 'logout', value: string) =>
  fetch(`${stack.api.url}/api/v1/auth/${action}`, {
    method: 'POST',
    headers: { cookie: `lapak_refresh=${value}` },
  });

async function refreshCookie(page: Page) {
  const cookies = await page.context().cookies();
  return cookies.find((cookie) => cookie.name === 'lapak_refresh');
}

/**
 * What the page sends and receives of its session: each access token it gets (log-in, renewals,
 * restores), and each status stream it opens with the token it sent.
 */
function watchSession(page: Page) {
  const tokens: { at: number; token: string }[] = [];
  const streams: { at: number; authorization: string | undefined }[] = [];
  page.on('request', (request) => {
    if (/\/api\/v1\/orders\/[^/]+\/events$/.test(request.url())) {
      streams.push({ at: Date.now(), authorization: request.headers()['authorization'] });
    }
  });
  page.on('response', (response) => {
    if (!/\/api\/v1\/auth\/(login|refresh)$/.test(response.url()) || response.status() !== 200) return;
    const at = Date.now();
    response.json().then(
      (body: Json) => tokens.push({ at, token: body.token as string }),
      () => undefined,
    );
  });
  return { tokens, streams };
}

describe('the storefront session', () => {
  it('outlives the access token’s minute and a reload, ends at logout; a session ended elsewhere signs out with a message', async () => {
    const siti = await shop.account('Siti');
    const orderId = await openOrder(siti.token);
    const budi = await shop.account('Budi');

    const { page } = await shop.shopper('siti');
    const seen = watchSession(page);
    await logIn(page, shop.url, siti.email);
    const loggedInAt = Date.now();
    await poll(async () => seen.tokens.length).toBe(1);
    const loginToken = seen.tokens[0]!.token;

    // No script can read the session: storage holds only whose it is, the token lives in the
    // page's memory, and the refresh token in an httpOnly cookie for the API's auth routes.
    const stored = await page.evaluate(() => JSON.stringify({ ...(globalThis as Json).localStorage }));
    expect(stored).not.toContain(loginToken);
    expect(stored).toContain('lapak.signed-in.v1');
    expect(await refreshCookie(page)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/auth',
    });

    // Siti follows her order, awaiting payment, through the shop's links (the same document).
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByTestId('order-list').getByRole('link').first().click();
    await orderStatus(page, 'awaiting_payment');
    expect(page.url()).toBe(`${shop.url}/orders/${orderId}`);
    await markDocument(page);

    // Meanwhile Budi logs in elsewhere, and his session is ended from another device holding
    // his cookie: his page is signed out at its next renewal and sent to log in, with a message.
    const { page: budiPage, console: budiConsole } = await shop.shopper('budi');
    await logIn(budiPage, shop.url, budi.email);
    await budiPage.getByRole('link', { name: 'Orders', exact: true }).click();
    await budiPage.getByTestId('order-list').or(budiPage.getByText('No orders yet')).first().waitFor();
    const budiCookie = await refreshCookie(budiPage);
    expect((await withCookie('logout', budiCookie!.value)).status).toBe(204);
    budiConsole.expect(/status of 401/);

    // Wait until Siti's log-in token has run out (60 s); her page renews it at about 48 s.
    await page.waitForTimeout(Math.max(0, loggedInAt + 65_000 - Date.now()));
    expect(seen.tokens.length).toBeGreaterThanOrEqual(2);
    const renewal = seen.tokens[1]!;
    expect(renewal.at - loggedInAt).toBeGreaterThan(40_000);
    expect(renewal.at - loggedInAt).toBeLessThan(60_000);
    // The stream reconnected meanwhile (every 5 s); each connection a moment after the renewal
    // sent the renewed token, none the expired one.
    const afterRenewal = seen.streams.filter((stream) => stream.at > renewal.at + 1_000);
    expect(afterRenewal.length).toBeGreaterThan(0);
    expect(new Set(afterRenewal.map((stream) => stream.authorization))).toEqual(
      new Set([bearer(renewal.token)]),
    );
    expect(seen.streams[0]!.authorization).toBe(bearer(loginToken));

    // Past its expiry, without logging in again, in the same document: the page still follows
    // the order, and the orders page lists it.
    expect(await sameDocument(page)).toBe(true);
    expect(await page.getByTestId('order-page').getAttribute('data-status')).toBe('awaiting_payment');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByTestId('order-list').waitFor();
    expect(await page.getByTestId('order-list').locator('li').count()).toBe(1);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Hi, Siti');
    expect(await sameDocument(page)).toBe(true);

    // Budi's page was signed out when its renewal was refused, and sent from his orders to log in.
    await budiPage.getByTestId('login-form').waitFor({ timeout: 20_000 });
    expect(new URL(budiPage.url()).searchParams.get('redirect')).toBe('/orders');
    expect(await budiPage.getByTestId('login-form').textContent()).toContain(
      'Your session has ended. Please log in again.',
    );
    expect(await budiPage.getByTestId('signed-in-as').count()).toBe(0);
    await keyPage(budiPage, 'session-ended');

    // A reload restores Siti's session from the cookie: the orders page opens without a log-in.
    await page.reload();
    await page.getByTestId('order-list').waitFor();
    expect(page.url()).toBe(`${shop.url}/orders`);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Hi, Siti');

    // Logging out ends the session: the API revokes it and clears the cookie, and the cookie the
    // browser held renews nothing any more.
    const heldCookie = await refreshCookie(page);
    expect(heldCookie).toBeDefined();
    const loggedOut = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
    await page.getByRole('button', { name: 'Log out' }).click();
    expect((await loggedOut).status()).toBe(204);
    expect(await refreshCookie(page)).toBeUndefined();
    await page.reload();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await page.goto(`${shop.url}/orders`);
    await page.getByTestId('login-form').waitFor();
    expect((await withCookie('refresh', heldCookie!.value)).status).toBe(401);
  });
});
