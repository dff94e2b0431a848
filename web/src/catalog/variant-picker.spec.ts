import { describe, expect, it } from 'vitest';
import { choose, initialChoice, optionStates, variantFor } from './variant-picker';

const options = [
  { name: 'Weight', values: ['250 g', '500 g', '1 kg'] },
  { name: 'Grind', values: ['Whole bean', 'Ground'] },
];
const variant = (id: string, weight: string, grind: string, stock: number) => ({
  id,
  optionValues: { Weight: weight, Grind: grind },
  stock,
});
/** 250 g in both grinds (ground sold out), 500 g whole bean only, 1 kg whole bean sold out. */
const coffee = [
  variant('v1', '250 g', 'Whole bean', 10),
  variant('v2', '250 g', 'Ground', 0),
  variant('v3', '500 g', 'Whole bean', 5),
  variant('v4', '1 kg', 'Whole bean', 0),
];

const statesOf = (choice: Record<string, string>, variants = coffee) =>
  Object.fromEntries(
    optionStates(options, variants, choice).map((option) => [
      option.name,
      Object.fromEntries(option.values.map((v) => [v.value, v.state])),
    ]),
  );

describe('optionStates', () => {
  it('judges the first option against every variant: in stock, sold out everywhere, or none at all', () => {
    expect(statesOf({})).toEqual({
      Weight: { '250 g': 'available', '500 g': 'available', '1 kg': 'sold_out' },
      Grind: { 'Whole bean': 'available', Ground: 'sold_out' },
    });
    const without1kg = coffee.filter((v) => v.optionValues.Weight !== '1 kg');
    expect(statesOf({}, without1kg).Weight!['1 kg']).toBe('unavailable');
  });

  it('judges a later option against the choices before it', () => {
    expect(statesOf({ Weight: '250 g', Grind: 'Whole bean' }).Grind).toEqual({
      'Whole bean': 'available',
      Ground: 'sold_out',
    });
    expect(statesOf({ Weight: '500 g', Grind: 'Whole bean' }).Grind).toEqual({
      'Whole bean': 'available',
      Ground: 'unavailable',
    });
    expect(statesOf({ Weight: '1 kg', Grind: 'Whole bean' }).Grind).toEqual({
      'Whole bean': 'sold_out',
      Ground: 'unavailable',
    });
  });

  it('does not judge an earlier option by a later choice', () => {
    expect(statesOf({ Weight: '250 g', Grind: 'Ground' }).Weight).toEqual({
      '250 g': 'available',
      '500 g': 'available',
      '1 kg': 'sold_out',
    });
  });

  it('gives a product without options nothing to choose', () => {
    expect(optionStates([], [{ optionValues: {}, stock: 3 }], {})).toEqual([]);
  });
});

describe('variantFor', () => {
  it('is the variant with every chosen value, or null while a value is missing or no variant has them', () => {
    expect(variantFor(options, coffee, { Weight: '500 g', Grind: 'Whole bean' })?.id).toBe('v3');
    expect(variantFor(options, coffee, { Weight: '500 g' })).toBeNull();
    expect(variantFor(options, coffee, { Weight: '500 g', Grind: 'Ground' })).toBeNull();
  });

  it('is the one variant of a product without options', () => {
    const only = { id: 'v0', optionValues: {}, stock: 2 };
    expect(variantFor([], [only], {})).toBe(only);
  });
});

describe('initialChoice', () => {
  it('opens on the variant a link names, else the first in stock, else the first', () => {
    expect(initialChoice(options, coffee, 'v4')).toEqual({ Weight: '1 kg', Grind: 'Whole bean' });
    expect(initialChoice(options, coffee, 'gone')).toEqual({ Weight: '250 g', Grind: 'Whole bean' });
    const firstSoldOut = [coffee[1]!, coffee[2]!];
    expect(initialChoice(options, firstSoldOut)).toEqual({ Weight: '500 g', Grind: 'Whole bean' });
    const allSoldOut = [coffee[1]!, coffee[3]!];
    expect(initialChoice(options, allSoldOut)).toEqual({ Weight: '250 g', Grind: 'Ground' });
    expect(initialChoice([], [])).toEqual({});
  });
});

describe('choose', () => {
  it('keeps a later value that is still available', () => {
    expect(choose(options, coffee, { Weight: '250 g', Grind: 'Whole bean' }, 'Weight', '500 g')).toEqual({
      Weight: '500 g',
      Grind: 'Whole bean',
    });
  });

  it('moves a later option to its first available value when the new choice rules its value out', () => {
    const variants = [variant('a', '250 g', 'Ground', 3), variant('b', '500 g', 'Whole bean', 2)];
    expect(choose(options, variants, { Weight: '250 g', Grind: 'Ground' }, 'Weight', '500 g')).toEqual({
      Weight: '500 g',
      Grind: 'Whole bean',
    });
  });

  it('reaches every variant in stock, one option at a time, even when no two share a value', () => {
    const variants = [variant('a', '250 g', 'Whole bean', 1), variant('b', '1 kg', 'Ground', 1)];
    const start = initialChoice(options, variants);
    expect(statesOf(start, variants).Weight!['1 kg']).toBe('available');
    const next = choose(options, variants, start, 'Weight', '1 kg');
    expect(variantFor(options, variants, next)?.id).toBe('b');
  });

  it('settles on a sold-out value when nothing is in stock, and drops a value no variant has', () => {
    expect(choose(options, coffee, { Weight: '250 g', Grind: 'Whole bean' }, 'Weight', '1 kg')).toEqual({
      Weight: '1 kg',
      Grind: 'Whole bean',
    });
    const onlyGround = [variant('a', '250 g', 'Ground', 0)];
    expect(choose(options, onlyGround, { Weight: '500 g', Grind: 'Whole bean' }, 'Weight', '250 g')).toEqual({
      Weight: '250 g',
      Grind: 'Ground',
    });
    expect(choose(options, onlyGround, { Weight: '250 g', Grind: 'Ground' }, 'Weight', '1 kg')).toEqual({
      Weight: '1 kg',
    });
  });
});
