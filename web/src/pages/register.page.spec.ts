import type { AuthResult } from '@lapak/contracts';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import App from '../app.vue';
import { createShopRouter } from '../router';
import { useAuthStore } from '../stores/auth.store';

async function mountAt(path: string) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createShopRouter(createMemoryHistory());
  await router.push(path);
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

const fill = async (
  wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper'],
  label: string,
  value: string,
) => {
  const id = wrapper
    .findAll('label')
    .find((l) => l.text() === label)!
    .attributes('for');
  await wrapper.get(`#${id}`).setValue(value);
};

describe('register page', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('checks the form with the contract’s schema before sending, each message beside its field', async () => {
    const register = vi.spyOn(api, 'register');
    const { wrapper } = await mountAt('/register');
    await fill(wrapper, 'Name', 'Ana');
    await fill(wrapper, 'Email', 'ana@');
    await fill(wrapper, 'Password', 'short');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid=field-error]')).toHaveLength(2));

    expect(register).not.toHaveBeenCalled();
    const errors = wrapper.findAll('[data-testid=field-error]').map((e) => e.text());
    expect(errors).toEqual(['Email must be an email address', 'Password must be at least 8 characters']);
    const email = wrapper.findAll('.field').find((f) => f.text().startsWith('Email'))!;
    expect(email.get('input').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid=form-error]').text()).toBe('Please correct the highlighted fields.');
    expect(document.activeElement).toBe(wrapper.get('[data-testid=form-error]').element);
    wrapper.unmount();
  });

  it('shows the API’s field error beside its field (an email already registered)', async () => {
    vi.spyOn(api, 'register').mockRejectedValue(
      new ApiError('An account with this email already exists', 'conflict', 409, {
        email: 'already registered',
      }),
    );
    const { wrapper } = await mountAt('/register');
    await fill(wrapper, 'Name', 'Ana');
    await fill(wrapper, 'Email', 'ana@example.com');
    await fill(wrapper, 'Password', 'long enough');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(api.register).toHaveBeenCalled());
    await flushPromises();

    expect(api.register).toHaveBeenCalledWith({
      name: 'Ana',
      email: 'ana@example.com',
      password: 'long enough',
    });
    const email = wrapper.findAll('.field').find((f) => f.text().startsWith('Email'))!;
    expect(email.get('[data-testid=field-error]').text()).toBe('Email already registered');
    expect(wrapper.get('[data-testid=form-error]').text()).toBe('An account with this email already exists');
    expect(email.get('input').attributes('aria-invalid')).toBe('true');
    expect(useAuthStore().isLoggedIn).toBe(false);
    wrapper.unmount();
  });

  it('logs the shopper in and goes back where they came from', async () => {
    const result: AuthResult = {
      token: 'a.eyJleHAiOjQxMDI0NDQ4MDB9.c',
      user: {
        id: '0192f0c4-0000-7000-8000-000000000001',
        email: 'ana@example.com',
        name: 'Ana',
        role: 'customer',
        createdAt: '2026-11-22T10:00:00.000Z',
        updatedAt: '2026-11-22T10:00:00.000Z',
      },
    };
    vi.spyOn(api, 'register').mockResolvedValue(result);
    const { wrapper, router } = await mountAt('/register?redirect=/cart');
    await fill(wrapper, 'Name', 'Ana');
    await fill(wrapper, 'Email', 'ana@example.com');
    await fill(wrapper, 'Password', 'long enough');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/cart'));
    expect(useAuthStore().user?.name).toBe('Ana');
    expect(wrapper.get('[data-testid=signed-in-as]').text()).toBe('Hi, Ana');
    wrapper.unmount();
  });

  it('never sends the shopper to another site after logging in', async () => {
    vi.spyOn(api, 'register').mockResolvedValue({
      token: 'a.b.c',
      user: { id: 'u', email: 'e', name: 'n', role: 'customer', createdAt: '', updatedAt: '' },
    });
    const { wrapper, router } = await mountAt('/register?redirect=//evil.example.com');
    await fill(wrapper, 'Name', 'Ana');
    await fill(wrapper, 'Email', 'ana@example.com');
    await fill(wrapper, 'Password', 'long enough');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(api.register).toHaveBeenCalled());
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
    wrapper.unmount();
  });
});
