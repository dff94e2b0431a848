import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { foreignKey } from './foreign-key';
import { catalogRowProperties } from './row-properties';

/** A catalog category; soft-deleted, and its slug is unique among live categories. */
export const Category = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    ...catalogRowProperties(),
    name: p.text(),
    slug: p.text(),
    // A thunk: the relation points at the entity being defined.
    parentId: () => foreignKey(Category, 'categories', 'parent_id').nullable().deleteRule('no action'),
  },
  checks: [{ name: 'categories_version_check', expression: 'version >= 1' }],
  uniques: [{ name: 'categories_slug_key', properties: ['slug'], where: 'deleted_at is null' }],
});

export type Category = InferEntity<typeof Category>;
