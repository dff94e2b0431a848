import type { AuthResult, Login, Register, UserDto } from '@lapak/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api, bindSession } from '../api/api-client';
import { sessionEnded, toApiError } from '../api/api-error';
import { rememberedDetailsStore } from '../lib/checkout-details';
import { localExpiry, renewalTime } from '../lib/jwt';
import { localStore } from '../lib/local-store';

interface Session {
  token: string;
  user: UserDto;
  /** When the token stops working, on this browser's clock; null when it names no expiry. */
  expiresAt: number | null;
}

/**
 * That this browser has a session, and whose: no secret (the token stays in memory, the refresh
 * token in an httpOnly cookie). It says whether to try the cookie at start, so a guest's page load
 * sends no refresh the API would refuse, and its changes tell other tabs of a log-in or log-out.
 */
export interface SignedInHint {
  userId: string;
}

const isHint = (value: unknown): value is SignedInHint =>
  typeof value === 'object' && value !== null && typeof (value as SignedInHint).userId === 'string';

export const signedInHint = localStore<SignedInHint | null>('lapak.signed-in.v1', () => null, isHint);

/** Where earlier versions kept the token itself; removed so that no copy of a token lingers. */
const formerSessionStore = localStore(
  'lapak.session.v1',
  () => null,
  (value): value is null => value === null,
);

/** A token this close to its end is renewed before it is sent: it could run out on the way. */
const expiryMarginMs = 5_000;
/** After a renewal that got no answer (offline, the API restarting), the next try. */
const retryRenewalMs = 15_000;
/** The longest delay setTimeout keeps. */
const maxDelayMs = 2 ** 31 - 1;

/**
 * Runs a refresh in one tab at a time. Tabs share the cookie and each refresh uses it up: two
 * sent with the same cookie look to the API like a copied token, and it ends the session
 * everywhere. A tab that waited refreshes with the cookie the first one left. Without Web Locks
 * (old browsers, pages not on HTTPS or localhost) the refresh goes straight out.
 */
function oneTabAtATime<T>(refresh: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request('lapak.session.refresh', refresh) : refresh();
}

/**
 * The shopper's session. The access token (minutes) lives in memory only, where a script injected
 * into the page cannot read it from storage; the session goes on through the API's refresh cookie:
 * restored at page load, renewed shortly before the token runs out, and once more when the API
 * refuses a token. One renewal runs at a time and every caller shares it, since each uses up the
 * cookie. When the API will not renew, the shopper is signed out with a message.
 */
export const useAuthStore = defineStore('auth', () => {
  formerSessionStore.clear();
  const session = shallowRef<Session | null>(null);
  /** True while the session is being restored from the cookie at page load. */
  const restoring = ref(false);
  /** When the session last ended because the API would not renew it (not by logging out). */
  const expiredAt = ref<number | null>(null);

  const token = computed(() => session.value?.token ?? null);
  const user = computed(() => session.value?.user ?? null);
  const isLoggedIn = computed(() => session.value !== null);

  /** Bumped at each log-in and log-out: a renewal started before then belongs to a session that is gone. */
  let generation = 0;
  let renewal: Promise<string> | null = null;
  let restored: Promise<void> = Promise.resolve();
  let renewTimer: ReturnType<typeof setTimeout> | undefined;

  function schedule(at: number | null) {
    clearTimeout(renewTimer);
    renewTimer = undefined;
    if (at === null) return;
    const delay = Math.min(maxDelayMs, Math.max(0, at - Date.now()));
    renewTimer = setTimeout(() => {
      renew().catch(() => {
        // Still signed in: that renewal got no answer, so try again soon.
        if (session.value) schedule(Date.now() + retryRenewalMs);
      });
    }, delay);
  }

  function begin(result: AuthResult, receivedAt = Date.now()) {
    const expiresAt = localExpiry(result.token, receivedAt);
    session.value = { token: result.token, user: result.user, expiresAt };
    expiredAt.value = null;
    signedInHint.write({ userId: result.user.id });
    schedule(expiresAt === null ? null : renewalTime(receivedAt, expiresAt));
  }

  /** Forgets the session in this tab; `clearHint` false when another tab has changed the hint already. */
  function forget(clearHint = true) {
    schedule(null);
    session.value = null;
    if (clearHint) signedInHint.clear();
  }

  /** The API will not renew the session: signed out, with the message the pages show. */
  function ended() {
    expiredAt.value = Date.now();
    forget();
  }

  async function refresh(): Promise<string> {
    const started = generation;
    let result: AuthResult;
    try {
      result = await oneTabAtATime(() => api.refresh());
    } catch (error) {
      const failure = toApiError(error);
      // No answer, or the API's own trouble: the session may well live on, and the next try tells.
      if (failure.code !== 'unauthenticated') throw failure;
      if (started === generation) ended();
      throw sessionEnded();
    }
    if (started !== generation) throw sessionEnded();
    begin(result);
    return result.token;
  }

  /** A new access token from the cookie; while one renewal is on its way, every caller shares it. */
  function renew(): Promise<string> {
    renewal ??= refresh().finally(() => (renewal = null));
    return renewal;
  }

  /**
   * The token to send now: after any renewal in flight, and renewed first when it has run out (a
   * laptop that slept or a tab the browser throttled missed its timer). Null when signed out.
   */
  async function freshToken(): Promise<string | null> {
    if (renewal) await renewal.catch(() => undefined);
    const current = session.value;
    if (!current) return null;
    if (current.expiresAt === null || current.expiresAt - expiryMarginMs > Date.now()) return current.token;
    return renew();
  }

  bindSession({
    token: freshToken,
    renew,
    refused: () => {
      if (session.value) ended();
    },
  });

  /**
   * At page load: the session from the cookie, if this browser had one. Pages that need to know
   * who is signed in wait for it (`whenRestored`).
   */
  function restore(): Promise<void> {
    if (session.value || !signedInHint.read()) return restored;
    restoring.value = true;
    restored = renew()
      .then(
        () => undefined,
        // Refused: signed out already. No answer: the hint stays, and the next page load tries again.
        () => undefined,
      )
      .finally(() => (restoring.value = false));
    return restored;
  }

  async function signIn(send: () => Promise<AuthResult>): Promise<UserDto> {
    // A renewal on its way would set its cookie after this one's.
    await renewal?.catch(() => undefined);
    generation++;
    const result = await send();
    begin(result);
    return result.user;
  }

  const login = (input: Login) => signIn(() => api.login(input));
  const register = (input: Register) => signIn(() => api.register(input));

  /**
   * Ends the session (the API revokes it and clears the cookie) and forgets the address kept for
   * the next checkout (a shared computer). This tab forgets at once, whatever the API answers.
   */
  async function logout(): Promise<void> {
    generation++;
    const pending = renewal;
    forget();
    expiredAt.value = null;
    rememberedDetailsStore.clear();
    // The cookie to revoke is the one a renewal on its way leaves.
    await pending?.catch(() => undefined);
    try {
      await api.logout();
    } catch {
      // Unreachable: without the hint no page load restores the session, and it lapses unused.
    }
  }

  /** Another tab logged in or out: the hint changed. */
  function syncFromStorage(): void {
    const hint = signedInHint.read();
    if (!hint) {
      if (session.value) {
        generation++;
        forget(false);
      }
      return;
    }
    // Logged in there, as someone else or while signed out here: take up that session.
    if (hint.userId !== session.value?.user.id) void renew().catch(() => undefined);
  }

  return {
    token,
    user,
    isLoggedIn,
    restoring,
    expiredAt,
    login,
    register,
    logout,
    restore,
    whenRestored: () => restored,
    freshToken,
    renew,
    syncFromStorage,
  };
});
