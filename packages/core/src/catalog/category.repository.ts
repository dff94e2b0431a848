import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Category as CategoryDto } from '@lapak/contracts';
import { Category } from '../db/entities';
import { AppError } from '../errors/app-error';

interface CategoryRow {
  id: string;
  name: string;
  slug: string;
  parent_id: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const categoryColumns = sql`id, name, slug, parent_id, version, created_at, updated_at`;

const toDto = (row: CategoryRow): CategoryDto => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  parentId: row.parent_id,
  version: row.version,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

function mapWriteError(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'categories_slug_key') {
    throw new AppError('conflict', 'A category with this slug already exists', { slug: 'already taken' });
  }
  throw error;
}

export class CategoryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Live (not deleted) categories in id order, after `afterId`. */
  list(options: { afterId?: string; limit: number }): Promise<Category[]> {
    return this.em.find(
      Category,
      { deletedAt: null, ...(options.afterId ? { id: { $gt: options.afterId } } : {}) },
      { orderBy: { id: 'asc' }, limit: options.limit },
    );
  }

  findLive(id: string): Promise<Category | null> {
    return this.em.findOne(Category, { id, deletedAt: null });
  }

  slugTaken(slug: string, exceptId?: string): Promise<number> {
    return this.em.count(Category, { slug, deletedAt: null, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  }

  add(category: Category): void {
    this.em.persist(category);
  }

  /**
   * Takes a share lock on a live category, so it cannot be deleted until the caller's
   * transaction ends (a product or subcategory being put into it). False if there is none.
   */
  async lockLive(id: string): Promise<boolean> {
    const { rows } = await sql`
      select 1 from categories where id = ${id}::uuid and deleted_at is null for share
    `.execute(this.em.getKysely());
    return rows.length > 0;
  }

  /** True if `ancestorId` is `id` itself or above it in the tree. */
  async isSelfOrDescendant(id: string, ancestorId: string): Promise<boolean> {
    const { rows } = await sql<{ found: boolean }>`
      with recursive up as (
        select id, parent_id, 1 as depth from categories where id = ${ancestorId}::uuid
        union all
        select c.id, c.parent_id, up.depth + 1 from categories c join up on c.id = up.parent_id
         where up.depth < 1000
      )
      select exists (select 1 from up where id = ${id}::uuid) as found
    `.execute(this.em.getKysely());
    return rows[0]?.found ?? false;
  }

  /** Sets the given fields and `version + 1`; null when there is no live category with this id. */
  async update(
    id: string,
    fields: { name?: string; slug?: string; parentId?: string | null },
  ): Promise<CategoryDto | null> {
    const sets = [];
    if (fields.name !== undefined) sets.push(sql`name = ${fields.name}`);
    if (fields.slug !== undefined) sets.push(sql`slug = ${fields.slug}`);
    if (fields.parentId !== undefined) sets.push(sql`parent_id = ${fields.parentId}::uuid`);
    const { rows } = await sql<CategoryRow>`
      update categories set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])}
       where id = ${id}::uuid and deleted_at is null
      returning ${categoryColumns}
    `
      .execute(this.em.getKysely())
      .catch(mapWriteError);
    return rows[0] ? toDto(rows[0]) : null;
  }

  /** Soft delete with `version + 1` (locks the row); null when there is no live category. */
  async softDelete(id: string): Promise<{ id: string; version: number } | null> {
    const { rows } = await sql<{ id: string; version: number }>`
      update categories set deleted_at = now(), updated_at = now(), version = version + 1
       where id = ${id}::uuid and deleted_at is null
      returning id, version
    `.execute(this.em.getKysely());
    return rows[0] ?? null;
  }

  /** Live subcategories and live products that still point at a category. */
  async liveDependents(id: string): Promise<{ children: number; products: number }> {
    const { rows } = await sql<{ children: number; products: number }>`
      select (select count(*)::int from categories where parent_id = ${id}::uuid and deleted_at is null) as children,
             (select count(*)::int from products where category_id = ${id}::uuid and deleted_at is null) as products
    `.execute(this.em.getKysely());
    return rows[0] ?? { children: 0, products: 0 };
  }
}
