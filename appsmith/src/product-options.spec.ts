import { productCreateSchema } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateBinding } from './binding-eval';
import { everyCombination, optionsText, parseOptions, valuesText } from './product-options';

const run = (expression: string, scope: Record<string, unknown> = {}) => evaluateBinding(expression, scope);

describe('the Products page’s option bindings', () => {
  it('reads options from one line, trimming spaces and skipping empty parts', () => {
    const text = ' Weight: 250 g, 500 g ,, 1 kg ; Grind:Whole bean,Ground; ;';
    expect(run(parseOptions('typed'), { typed: text })).toEqual([
      { name: 'Weight', values: ['250 g', '500 g', '1 kg'] },
      { name: 'Grind', values: ['Whole bean', 'Ground'] },
    ]);
    expect(run(parseOptions('typed'), { typed: '' })).toEqual([]);
    expect(run(parseOptions('typed'), { typed: undefined })).toEqual([]);
  });

  it('writes options back as the same line', () => {
    const options = [
      { name: 'Weight', values: ['250 g', '1 kg'] },
      { name: 'Grind', values: ['Ground'] },
    ];
    const line = run(optionsText('options'), { options });
    expect(line).toBe('Weight: 250 g, 1 kg; Grind: Ground');
    expect(run(parseOptions('line'), { line })).toEqual(options);
    expect(run(optionsText('options'), { options: undefined })).toBe('');
  });

  it('names a variant by its values', () => {
    expect(run(valuesText('v'), { v: { Weight: '1 kg', Grind: 'Ground' } })).toBe(
      'Weight: 1 kg, Grind: Ground',
    );
    expect(run(valuesText('v'), { v: {} })).toBe('');
  });

  it('makes every combination a variant a new product accepts, each with its own sku', () => {
    const options = [
      { name: 'Weight', values: ['250 g', '1 kg'] },
      { name: 'Grind', values: ['Whole bean', 'Giling halus ✓', 'ぶ'] },
    ];
    const variants = run(everyCombination('options', { sku: "'KOPI'", priceCents: '9500', stock: '4' }), {
      options,
    }) as { sku: string; optionValues: Record<string, string> }[];
    expect(variants.map((variant) => variant.sku)).toEqual([
      'KOPI-250G-WHOLEBEAN',
      'KOPI-250G-GILINGHALUS',
      'KOPI-250G-3',
      'KOPI-1KG-WHOLEBEAN',
      'KOPI-1KG-GILINGHALUS',
      'KOPI-1KG-3',
    ]);
    expect(variants[4]).toEqual({
      sku: 'KOPI-1KG-GILINGHALUS',
      optionValues: { Weight: '1 kg', Grind: 'Giling halus ✓' },
      priceCents: 9500,
      stock: 4,
    });
    const parsed = productCreateSchema.safeParse({
      sku: 'KOPI',
      name: 'Kopi',
      currency: 'IDR',
      options,
      variants,
    });
    expect(parsed.error?.issues).toBeUndefined();
  });
});
