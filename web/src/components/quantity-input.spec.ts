import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import QuantityInput from './quantity-input.vue';

function mountQuantity(modelValue: number, max: number) {
  const wrapper = mount(QuantityInput, {
    props: {
      modelValue,
      max,
      label: 'Quantity',
      'onUpdate:modelValue': (value: number) => wrapper.setProps({ modelValue: value }),
    },
  });
  return wrapper;
}

describe('QuantityInput', () => {
  it('steps within 1..max and disables the buttons at the bounds', async () => {
    const wrapper = mountQuantity(1, 2);
    const [decrease, increase] = wrapper.findAll('button');
    expect(decrease!.attributes('disabled')).toBeDefined();
    await increase!.trigger('click');
    expect(wrapper.props('modelValue')).toBe(2);
    expect(increase!.attributes('disabled')).toBeDefined();
    expect(decrease!.attributes('disabled')).toBeUndefined();
    expect(increase!.attributes('aria-label')).toBe('Increase quantity');
  });

  it('brings a typed number back within the stock, and ignores what is not a number', async () => {
    const wrapper = mountQuantity(1, 5);
    const input = wrapper.get('input');
    await input.setValue('40');
    await input.trigger('change');
    expect(wrapper.props('modelValue')).toBe(5);
    expect((input.element as HTMLInputElement).value).toBe('5');

    await input.setValue('');
    await input.trigger('change');
    expect(wrapper.props('modelValue')).toBe(5);
    expect((input.element as HTMLInputElement).value).toBe('5');

    await input.setValue('0');
    await input.trigger('change');
    expect(wrapper.props('modelValue')).toBe(1);
  });
});
