import type { EntityManager } from '@mikro-orm/postgresql';
import { Category } from '../db/entities';

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
}
