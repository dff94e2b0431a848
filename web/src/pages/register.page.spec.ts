import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { useAuthStore } from '../stores/auth.store';
import { makeAuthResult } from '../testing/factories';
import { isolateShopTests, mountShop } from '../testing/mount-shop';

const valid = { Name: 'Ana', Email: 'ana@example.com', Password: 'long enough' };

/** Types each value into the field with that label, then sends the form. */
async function submitForm(wrapper: VueWrapper, values: Record<string, string> = valid) {
  for (const [label, value] of Object.entries(values)) {
    const id = wrapper
      .findAll('label')
      .find((l) => l.text() === label)!
      .attributes('for');
    await wrapper.get(`#${id}`).setValue(value);
  }
  await wrapper.get('form').trigger('submit');
}

describe('register page', () => {
  isolateShopTests();

  it('checks the form with the contract’s schema before sending, each message beside its field', async () => {
    const register = vi.spyOn(api, 'register');
    const { wrapper } = await mountShop('/register');
    await submitForm(wrapper, { Name: 'Ana', Email: 'ana@', Password: 'short' });
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
    const { wrapper } = await mountShop('/register');
    await submitForm(wrapper);
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
    vi.spyOn(api, 'register').mockResolvedValue(makeAuthResult());
    const { wrapper, router } = await mountShop('/register?redirect=/cart');
    await submitForm(wrapper);
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/cart'));
    expect(useAuthStore().user?.name).toBe('Ana');
    expect(wrapper.get('[data-testid=signed-in-as]').text()).toBe('Hi, Ana');
    wrapper.unmount();
  });

  it('never sends the shopper to another site after logging in', async () => {
    vi.spyOn(api, 'register').mockResolvedValue(makeAuthResult());
    const { wrapper, router } = await mountShop('/register?redirect=//evil.example.com');
    await submitForm(wrapper);
    await vi.waitFor(() => expect(api.register).toHaveBeenCalled());
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
    wrapper.unmount();
  });
});
