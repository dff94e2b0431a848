import { sql, type Selectable } from 'kysely';
import type { Category as CategoryDto } from '@lapak/contracts';
import { isoTimestamps, type Database } from '../db/database';
import { AppError } from '../errors/app-error';
import { categoryFieldColumns, categoryFields } from './catalog-columns';
import { CatalogRowRepository } from './catalog-row.repository';

/** The columns a category is read with, everywhere in this file. */
const categoryColumns = [...categoryFieldColumns, 'created_at', 'updated_at'] as const;

type CategoryRow = Pick<Selectable<Database['categories']>, (typeof categoryColumns)[number]>;

const toDto = (row: CategoryRow): CategoryDto => ({
  ...categoryFields(row),
  ...isoTimestamps(row),
});

function mapWriteError(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'categories_slug_key') {
    throw new AppError('conflict', 'A category with this slug already exists', { slug: 'already taken' });
  }
  throw error;
}

/** The column by which a row of each table points at a category. */
const pointsAtCategory = { categories: 'parent_id', products: 'category_id' } as const;

/** Categories; writes bump `version` in the same statement that changes the row. */
export class CategoryRepository extends CatalogRowRepository {
  protected readonly table = 'categories';

  /** Live (not deleted) categories in id order, after `afterId`. */
  async list(options: { afterId?: string; limit: number }): Promise<CategoryDto[]> {
    const rows = await this.db
      .selectFrom('categories')
      .select(categoryColumns)
      .where('deleted_at', 'is', null)
      .$if(Boolean(options.afterId), (qb) => qb.where('id', '>', options.afterId!))
      .orderBy('id')
      .limit(options.limit)
      .execute();
    return rows.map(toDto);
  }

  async findLive(id: string): Promise<CategoryDto | null> {
    const row = await this.selectLive(id).select(categoryColumns).executeTakeFirst();
    return row ? toDto(row) : null;
  }

  async insert(category: {
    id: string;
    name: string;
    slug: string;
    parentId: string | null;
  }): Promise<CategoryDto> {
    const row = await this.db
      .insertInto('categories')
      .values({ id: category.id, name: category.name, slug: category.slug, parent_id: category.parentId })
      .returning(categoryColumns)
      .executeTakeFirstOrThrow()
      .catch(mapWriteError);
    return toDto(row);
  }

  /**
   * Takes a share lock on a live category, so it cannot be deleted until the caller's
   * transaction ends (a product or subcategory being put into it). False if there is none.
   */
  async lockLive(id: string): Promise<boolean> {
    const row = await this.selectLive(id).select('id').forShare().executeTakeFirst();
    return row !== undefined;
  }

  /** True if `ancestorId` is `id` itself or above it in the tree. */
  async isSelfOrDescendant(id: string, ancestorId: string): Promise<boolean> {
    const row = await this.db
      .withRecursive('up(id, parent_id, depth)', (qb) =>
        qb
          .selectFrom('categories')
          .select(['id', 'parent_id', sql.lit(1).as('depth')])
          .where('id', '=', ancestorId)
          .unionAll((union) =>
            union
              .selectFrom('categories as c')
              .innerJoin('up', 'c.id', 'up.parent_id')
              .select(['c.id', 'c.parent_id', (eb) => eb('up.depth', '+', 1).as('depth')])
              .where('up.depth', '<', 1000),
          ),
      )
      .selectFrom('up')
      .select('id')
      .where('id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Sets the given fields and `version + 1`; null when there is no live category with this id. */
  async update(
    id: string,
    fields: { name?: string; slug?: string; parentId?: string | null },
  ): Promise<CategoryDto | null> {
    const row = await this.updateLive(id)
      .set((eb) => ({
        name: fields.name,
        slug: fields.slug,
        parent_id: fields.parentId,
        version: eb('version', '+', 1),
        updated_at: eb.fn('now'),
      }))
      .returning(categoryColumns)
      .executeTakeFirst()
      .catch(mapWriteError);
    return row ? toDto(row) : null;
  }

  /** Live subcategories and live products that still point at a category. */
  async liveDependents(id: string): Promise<{ children: number; products: number }> {
    const row = await this.db
      .selectNoFrom((eb) => {
        const livePointing = (table: keyof typeof pointsAtCategory) =>
          eb
            .selectFrom(table)
            .select(eb.fn.countAll<number>().as('n'))
            .where(pointsAtCategory[table], '=', id)
            .where('deleted_at', 'is', null)
            .$asScalar();
        return [livePointing('categories').as('children'), livePointing('products').as('products')];
      })
      .executeTakeFirstOrThrow();
    return { children: row.children ?? 0, products: row.products ?? 0 };
  }
}
