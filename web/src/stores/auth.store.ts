import type { Login, Register, UserDto } from '@lapak/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/api-error';
import { api, bindSession } from '../api/api-client';
import { rememberedDetailsStore } from '../lib/checkout-details';
import { isExpired } from '../lib/jwt';
import { localStore } from '../lib/local-store';

interface Session {
  token: string;
  user: UserDto;
}

const isSession = (value: unknown): value is Session =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Session).token === 'string' &&
  typeof (value as Session).user?.id === 'string';

export const sessionStore = localStore<Session | null>('lapak.session.v1', () => null, isSession);

/**
 * The shopper's session: the API's JWT and user, kept in localStorage so a reload (or another
 * tab) stays logged in. An expired token is dropped before it is ever sent.
 */
export const useAuthStore = defineStore('auth', () => {
  const stored = sessionStore.read();
  const session = ref<Session | null>(stored && !isExpired(stored.token) ? stored : null);
  if (stored && !session.value) sessionStore.clear();
  /** Bumped when the session ends because the API refused the token (not by logging out). */
  const expiredAt = ref<number | null>(null);

  const token = computed(() => session.value?.token ?? null);
  const user = computed(() => session.value?.user ?? null);
  const isLoggedIn = computed(() => session.value !== null);

  function set(next: Session | null) {
    session.value = next;
    if (next) sessionStore.write(next);
    else sessionStore.clear();
  }

  function currentToken(): string | null {
    if (session.value && isExpired(session.value.token)) {
      set(null);
      expiredAt.value = Date.now();
    }
    return session.value?.token ?? null;
  }

  bindSession(currentToken, () => {
    if (!session.value) return;
    set(null);
    expiredAt.value = Date.now();
  });

  async function login(input: Login): Promise<UserDto> {
    const result = await api.login(input);
    set(result);
    expiredAt.value = null;
    return result.user;
  }

  async function register(input: Register): Promise<UserDto> {
    const result = await api.register(input);
    set(result);
    expiredAt.value = null;
    return result.user;
  }

  /** Ends the session and forgets the address kept for the next checkout (a shared computer). */
  function logout(): void {
    set(null);
    rememberedDetailsStore.clear();
  }

  /** Checks a restored session with the API (`GET /auth/me`) and refreshes the user's details. */
  async function verify(): Promise<void> {
    if (!currentToken()) return;
    try {
      const fresh = await api.me();
      if (session.value) set({ ...session.value, user: fresh });
    } catch (error) {
      // A refused token already ended the session (see bindSession); other failures keep it.
      if (!(error instanceof ApiError)) throw error;
    }
  }

  /** Another tab logged in or out. */
  function syncFromStorage(): void {
    const next = sessionStore.read();
    if (next?.token !== session.value?.token) session.value = next;
  }

  return {
    token,
    user,
    isLoggedIn,
    expiredAt,
    login,
    register,
    logout,
    verify,
    syncFromStorage,
    currentToken,
  };
});
