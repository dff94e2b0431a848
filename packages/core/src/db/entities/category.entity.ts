import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { timestamps } from './timestamps';

/** A catalog category; soft-deleted, and its slug is unique among live categories. */
export const Category = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    slug: p.text(),
    // A thunk: the relation points at the entity being defined.
    parentId: () =>
      p
        .manyToOne(Category)
        .mapToPk()
        .fieldName('parent_id')
        .foreignKeyName('categories_parent_id_fkey')
        .nullable()
        .deleteRule('no action'),
    version: p.integer().default(1),
    ...timestamps(),
    deletedAt: p.datetime().nullable(),
  },
  checks: [{ name: 'categories_version_check', expression: 'version >= 1' }],
  uniques: [{ name: 'categories_slug_key', properties: ['slug'], where: 'deleted_at is null' }],
});

export type Category = InferEntity<typeof Category>;
