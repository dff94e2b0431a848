import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import App from '../app.vue';
import { createShopRouter } from '../router';

/**
 * The whole shop opened at `path`, on a fresh Pinia and an in-memory router, attached to the
 * document so focus can be checked. `prepare` runs first with that Pinia active: signing in,
 * filling the cart.
 */
export async function mountShop(path: string, prepare: () => unknown = () => undefined) {
  const pinia = createPinia();
  setActivePinia(pinia);
  await prepare();
  const router = createShopRouter(createMemoryHistory());
  await router.push(path);
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

/** Each test of a page starts from empty storage and leaves no mocks, fake timers or DOM behind. */
export function isolateShopTests(): void {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });
}
