import type { CatalogCategory } from './catalog.types';

export interface CategoryOption {
  category: CatalogCategory;
  depth: number;
}

/** Categories in tree order (parents before their children, siblings by name), with depth. */
export function categoryOptions(categories: readonly CatalogCategory[]): CategoryOption[] {
  const ids = new Set(categories.map((category) => category.id));
  const children = new Map<string | null, CatalogCategory[]>();
  for (const category of categories) {
    // A parent the shop cannot see makes its child a top-level category.
    const parent = category.parent && ids.has(category.parent) ? category.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const options: CategoryOption[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const category of list) {
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      options.push({ category, depth });
      visit(category.id, depth + 1);
    }
  };
  visit(null, 0);
  return options;
}

/** A category and all its descendants: choosing "Kitchen" shows "Kitchen › Mugs" too. */
export function withDescendants(categories: readonly CatalogCategory[], rootId: string): string[] {
  const result = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const category of categories) {
      if (category.parent && result.has(category.parent) && !result.has(category.id)) {
        result.add(category.id);
        grew = true;
      }
    }
  }
  return [...result];
}
