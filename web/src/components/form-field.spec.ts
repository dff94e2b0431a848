import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import FormField from './form-field.vue';

describe('FormField', () => {
  it('labels the input and shows the API’s message beside it, tied with aria-describedby', async () => {
    const wrapper = mount(FormField, {
      props: { label: 'Email', modelValue: 'ana@', type: 'email', error: 'must be an email address' },
    });
    const input = wrapper.get('input');
    const label = wrapper.get('label');
    expect(label.attributes('for')).toBe(input.attributes('id'));
    expect(input.attributes('aria-invalid')).toBe('true');
    const error = wrapper.get('[data-testid=field-error]');
    expect(error.text()).toBe('Email must be an email address');
    expect(input.attributes('aria-describedby')).toContain(error.attributes('id'));
  });

  it('has no error state without a message, and updates its model', async () => {
    const wrapper = mount(FormField, {
      props: { label: 'Name', modelValue: '', hint: 'As on your parcel', 'onUpdate:modelValue': () => {} },
    });
    const input = wrapper.get('input');
    expect(input.attributes('aria-invalid')).toBeUndefined();
    expect(wrapper.find('[data-testid=field-error]').exists()).toBe(false);
    expect(input.attributes('aria-describedby')).toBe(wrapper.get('.field-hint').attributes('id'));
    await input.setValue('Ana');
    expect(wrapper.emitted('update:modelValue')).toEqual([['Ana']]);
  });
});
