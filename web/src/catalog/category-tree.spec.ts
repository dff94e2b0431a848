import { describe, expect, it } from 'vitest';
import { categoryOptions, withDescendants } from './category-tree';
import type { CatalogCategory } from './catalog.types';

const category = (id: string, name: string, parent: string | null = null): CatalogCategory => ({
  id,
  name,
  slug: name.toLowerCase(),
  parent,
});

const categories = [
  category('mugs', 'Mugs', 'kitchen'),
  category('kitchen', 'Kitchen'),
  category('bowls', 'Bowls', 'kitchen'),
  category('garden', 'Garden'),
  category('espresso', 'Espresso cups', 'mugs'),
  category('orphan', 'Orphan', 'hidden-parent'),
];

describe('categoryOptions', () => {
  it('lists parents before children, siblings by name, with depth', () => {
    expect(categoryOptions(categories).map((o) => `${'-'.repeat(o.depth)}${o.category.name}`)).toEqual([
      'Garden',
      'Kitchen',
      '-Bowls',
      '-Mugs',
      '--Espresso cups',
      'Orphan',
    ]);
  });

  it('survives a cycle', () => {
    const cyclic = [category('a', 'A', 'b'), category('b', 'B', 'a')];
    expect(categoryOptions(cyclic)).toEqual([]);
  });
});

describe('withDescendants', () => {
  it('includes every level below', () => {
    expect(withDescendants(categories, 'kitchen').sort()).toEqual(['bowls', 'espresso', 'kitchen', 'mugs']);
    expect(withDescendants(categories, 'garden')).toEqual(['garden']);
  });
});
