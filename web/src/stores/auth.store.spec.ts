import type { AuthResult } from '@lapak/contracts';
import { AxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { rememberedDetailsStore } from '../lib/checkout-details';
import { makeAuthResult, makeToken, sampleAddress } from '../testing/factories';
import { signedInHint, useAuthStore } from './auth.store';

/** What the fake network saw of a request. */
interface Sent {
  route: string;
  authorization: string | null;
  withCredentials: boolean;
}

interface Answer {
  status: number;
  data?: unknown;
}

const unauthenticated: Answer = {
  status: 401,
  data: { error: { code: 'unauthenticated', message: 'The token has expired' } },
};

/** No answer at all (offline, the API down). */
const noAnswer = Symbol('no answer');

/**
 * The real API client with its network replaced: `answer` gets each request and says what comes
 * back. Returns every request sent, in order.
 */
function fakeNetwork(answer: (sent: Sent) => Answer | typeof noAnswer | Promise<Answer | typeof noAnswer>) {
  const http = (api as unknown as { http: AxiosInstance }).http;
  const adapter = http.defaults.adapter;
  onTestFinished(() => void (http.defaults.adapter = adapter));
  const sent: Sent[] = [];
  http.defaults.adapter = async (config: InternalAxiosRequestConfig) => {
    const request: Sent = {
      route: `${config.method!.toUpperCase()} ${config.url}`,
      authorization: (config.headers.get('Authorization') as string | undefined) ?? null,
      withCredentials: config.withCredentials === true,
    };
    sent.push(request);
    const reply = await answer(request);
    if (reply === noAnswer) throw new AxiosError('Network Error', 'ERR_NETWORK', config);
    const response: AxiosResponse = {
      status: reply.status,
      statusText: String(reply.status),
      headers: {},
      config,
      data: reply.data,
    };
    if (reply.status >= 400) {
      throw new AxiosError(String(reply.status), 'ERR_BAD_REQUEST', config, null, response);
    }
    return response;
  };
  return sent;
}

/** An access token named `name` (to tell tokens apart), issued now and good for `seconds`. */
function accessToken(name: string, seconds = 900): string {
  const now = Math.floor(Date.now() / 1000);
  return makeToken({ sub: 'u1', jti: name, iat: now, exp: now + seconds });
}

const ana = (token: string): AuthResult => makeAuthResult(token);
const bearer = (token: string) => `Bearer ${token}`;
const routes = (sent: Sent[]) => sent.map((request) => request.route);

/** A promise and the function that settles it: an answer the test releases when it chooses. */
function later<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

/** Everything in localStorage, as one string. */
function storedText(): string {
  const entries: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!;
    entries.push(`${key}=${localStorage.getItem(key)}`);
  }
  return entries.join('\n');
}

/** The auth store of a fresh page load in a browser that had a session (the hint is set). */
async function restoredWith(token: string) {
  signedInHint.write({ userId: makeAuthResult().user.id });
  const auth = useAuthStore();
  await auth.restore();
  expect(auth.token).toBe(token);
  return auth;
}

describe('auth store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('keeps the access token in memory only; log-in and log-out carry the cookie', async () => {
    const token = accessToken('A');
    const sent = fakeNetwork(({ route }) =>
      route === 'POST /auth/login' ? { status: 200, data: ana(token) } : { status: 204 },
    );
    const auth = useAuthStore();
    await auth.login({ email: 'ana@example.com', password: 'secret-password' });

    expect(auth.user?.name).toBe('Ana');
    expect(auth.token).toBe(token);
    expect(sent).toEqual([{ route: 'POST /auth/login', authorization: null, withCredentials: true }]);
    // What a script could read from storage: that Ana had a session here, not the token.
    expect(storedText()).not.toContain(token);
    expect(signedInHint.read()).toEqual({ userId: makeAuthResult().user.id });

    rememberedDetailsStore.write({
      userId: makeAuthResult().user.id,
      address: { ...sampleAddress, line2: '', region: '' },
      paymentMethod: 'bank_transfer',
    });
    await auth.logout();
    expect(sent[1]).toEqual({ route: 'POST /auth/logout', authorization: null, withCredentials: true });
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).toBeNull();
    expect(signedInHint.read()).toBeNull();
    expect(rememberedDetailsStore.read()).toBeNull();
  });

  it('restores the session from the cookie at page load, only in a browser that had one', async () => {
    const token = accessToken('A');
    const sent = fakeNetwork(() => ({ status: 200, data: ana(token) }));

    // A guest's page load asks nothing.
    await useAuthStore().restore();
    expect(sent).toEqual([]);
    expect(useAuthStore().isLoggedIn).toBe(false);

    // A token an earlier version kept in storage is removed.
    localStorage.setItem('lapak.session.v1', JSON.stringify(ana(token)));
    setActivePinia(createPinia());
    const auth = await restoredWith(token);
    expect(sent).toEqual([{ route: 'POST /auth/refresh', authorization: null, withCredentials: true }]);
    expect(auth.user?.email).toBe('ana@example.com');
    expect(auth.restoring).toBe(false);
    expect(localStorage.getItem('lapak.session.v1')).toBeNull();
  });

  it('at page load, a refused cookie leaves the shopper signed out and forgets the hint', async () => {
    fakeNetwork(() => unauthenticated);
    signedInHint.write({ userId: 'u1' });
    const auth = useAuthStore();
    await auth.restore();
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).not.toBeNull();
    expect(signedInHint.read()).toBeNull();
  });

  it('requests refused together share one refresh, and each is sent once more with the new token', async () => {
    const [first, second] = [accessToken('A'), accessToken('B')];
    const renewed = later<void>();
    let refreshes = 0;
    const sent = fakeNetwork(async ({ route, authorization }) => {
      if (route === 'POST /auth/refresh') {
        refreshes++;
        if (refreshes === 1) return { status: 200, data: ana(first) };
        await renewed.promise;
        return { status: 200, data: ana(second) };
      }
      if (authorization !== bearer(second)) return unauthenticated;
      return route === 'GET /orders'
        ? { status: 200, data: { items: [], nextCursor: null } }
        : { status: 200, data: { user: makeAuthResult().user } };
    });
    const auth = await restoredWith(first);

    const calls = Promise.all([api.orders(), api.orders({ status: 'confirmed' }), api.me()]);
    await vi.waitFor(() => expect(refreshes).toBe(2));
    renewed.release();
    const [orders, confirmed, me] = await calls;

    expect(orders.items).toEqual([]);
    expect(confirmed.items).toEqual([]);
    expect(me.name).toBe('Ana');
    expect(refreshes).toBe(2);
    const replays = sent.filter((request) => request.authorization === bearer(second));
    expect(routes(replays).sort()).toEqual(['GET /auth/me', 'GET /orders', 'GET /orders']);
    expect(sent.filter((request) => request.authorization === bearer(first))).toHaveLength(3);
    expect(auth.token).toBe(second);
  });

  it('does not send a request a third time: refused after a renewal, the session is over', async () => {
    const [first, second] = [accessToken('A'), accessToken('B')];
    let refreshes = 0;
    const sent = fakeNetwork(({ route }) => {
      if (route !== 'POST /auth/refresh') return unauthenticated;
      refreshes++;
      return { status: 200, data: ana(refreshes === 1 ? first : second) };
    });
    const auth = await restoredWith(first);

    const error = await api.orders().catch((caught: unknown) => caught);

    expect(routes(sent)).toEqual(['POST /auth/refresh', 'GET /orders', 'POST /auth/refresh', 'GET /orders']);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('Your session has ended. Please log in again.');
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).not.toBeNull();
  });

  it('a refused refresh signs the shopper out with a message, and every request waiting on it fails', async () => {
    const first = accessToken('A');
    let refreshes = 0;
    const sent = fakeNetwork(({ route }) => {
      if (route !== 'POST /auth/refresh') return unauthenticated;
      refreshes++;
      return refreshes === 1 ? { status: 200, data: ana(first) } : unauthenticated;
    });
    const auth = await restoredWith(first);
    rememberedDetailsStore.write({
      userId: makeAuthResult().user.id,
      address: { ...sampleAddress, line2: '', region: '' },
      paymentMethod: 'bank_transfer',
    });

    const errors = (await Promise.all([
      api.orders().catch((caught: unknown) => caught),
      api.order('o1').catch((caught: unknown) => caught),
    ])) as ApiError[];

    expect(refreshes).toBe(2);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['unauthenticated', 'Your session has ended. Please log in again.'],
      ['unauthenticated', 'Your session has ended. Please log in again.'],
    ]);
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).not.toBeNull();
    expect(signedInHint.read()).toBeNull();
    // The address stays for this account's next log-in; only logging out forgets it.
    expect(rememberedDetailsStore.read()?.userId).toBe(makeAuthResult().user.id);

    // Signed out: nothing more is renewed, and requests go without a token.
    sent.length = 0;
    await api.orders().catch(() => undefined);
    expect(sent).toEqual([{ route: 'GET /orders', authorization: null, withCredentials: false }]);
  });

  it('a refresh that gets no answer keeps the session: the request fails as unreachable', async () => {
    const first = accessToken('A');
    let refreshes = 0;
    fakeNetwork(({ route }) => {
      if (route !== 'POST /auth/refresh') return unauthenticated;
      refreshes++;
      return refreshes === 1 ? { status: 200, data: ana(first) } : noAnswer;
    });
    const auth = await restoredWith(first);

    const error = (await api.orders().catch((caught: unknown) => caught)) as ApiError;

    expect(error.code).toBe('network');
    expect(auth.isLoggedIn).toBe(true);
    expect(signedInHint.read()).not.toBeNull();
  });

  it('renews shortly before the token runs out, and sends the new one from then on', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const [first, second] = [accessToken('A', 60), accessToken('B', 60)];
    let refreshes = 0;
    const sent = fakeNetwork(({ route }) => {
      if (route === 'POST /auth/refresh')
        return { status: 200, data: ana(++refreshes === 1 ? first : second) };
      return { status: 200, data: { items: [], nextCursor: null } };
    });
    const auth = await restoredWith(first);

    await vi.advanceTimersByTimeAsync(47_000);
    expect(refreshes).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refreshes).toBe(2);
    expect(auth.token).toBe(second);

    await api.orders();
    expect(sent.at(-1)).toMatchObject({ route: 'GET /orders', authorization: bearer(second) });
  });

  it('renews a token that ran out unnoticed (a laptop asleep) before sending the request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [first, second] = [accessToken('A', 60), accessToken('B', 60)];
    let refreshes = 0;
    const sent = fakeNetwork(({ route, authorization }) => {
      if (route === 'POST /auth/refresh')
        return { status: 200, data: ana(++refreshes === 1 ? first : second) };
      return authorization === bearer(second)
        ? { status: 200, data: { items: [], nextCursor: null } }
        : unauthenticated;
    });
    await restoredWith(first);
    vi.setSystemTime(Date.now() + 70_000);

    await api.orders();

    expect(routes(sent)).toEqual(['POST /auth/refresh', 'POST /auth/refresh', 'GET /orders']);
    expect(sent.at(-1)!.authorization).toBe(bearer(second));
  });

  it('logging out waits for a renewal on its way, and that renewal does not sign the shopper back in', async () => {
    const [first, second] = [accessToken('A'), accessToken('B')];
    const renewed = later<void>();
    let refreshes = 0;
    const sent = fakeNetwork(async ({ route }) => {
      if (route === 'POST /auth/logout') return { status: 204 };
      refreshes++;
      if (refreshes === 1) return { status: 200, data: ana(first) };
      await renewed.promise;
      return { status: 200, data: ana(second) };
    });
    const auth = await restoredWith(first);

    const renewal = auth.renew().catch((caught: unknown) => caught);
    const loggingOut = auth.logout();
    expect(auth.isLoggedIn).toBe(false);
    renewed.release();
    await loggingOut;

    expect(await renewal).toBeInstanceOf(ApiError);
    expect(routes(sent)).toEqual(['POST /auth/refresh', 'POST /auth/refresh', 'POST /auth/logout']);
    expect(auth.isLoggedIn).toBe(false);
    expect(signedInHint.read()).toBeNull();
  });

  it('follows other tabs: logged out there is signed out here; logged in there is taken up here', async () => {
    const first = accessToken('A');
    const budi: AuthResult = {
      token: accessToken('B'),
      user: { ...makeAuthResult().user, id: 'budi', name: 'Budi', email: 'budi@example.com' },
    };
    let refreshes = 0;
    const sent = fakeNetwork(() => ({ status: 200, data: ++refreshes === 1 ? ana(first) : budi }));
    const auth = await restoredWith(first);

    signedInHint.clear();
    auth.syncFromStorage();
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).toBeNull();
    expect(sent).toHaveLength(1);

    signedInHint.write({ userId: 'budi' });
    auth.syncFromStorage();
    await vi.waitFor(() => expect(auth.user?.name).toBe('Budi'));
    expect(routes(sent)).toEqual(['POST /auth/refresh', 'POST /auth/refresh']);
  });

  it('refreshes in one tab at a time, under a Web Lock', async () => {
    const request = vi.fn((_name: string, granted: () => Promise<unknown>) => granted());
    Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true });
    onTestFinished(() => void Reflect.deleteProperty(navigator, 'locks'));
    const token = accessToken('A');
    fakeNetwork(() => ({ status: 200, data: ana(token) }));

    await restoredWith(token);

    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]![0]).toBe('lapak.session.refresh');
  });

  it('keeps the field messages of a refused registration for the form', async () => {
    vi.spyOn(api, 'register').mockRejectedValue(
      new ApiError('The request body is not valid', 'validation_failed', 400, {
        password: 'must be at least 8 characters',
      }),
    );
    const error = await useAuthStore()
      .register({ email: 'ana@example.com', password: 'short', name: 'Ana' })
      .catch((caught: unknown) => caught);
    expect((error as ApiError).fields).toEqual({ password: 'must be at least 8 characters' });
    expect(useAuthStore().isLoggedIn).toBe(false);
  });
});
