import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Category as CategoryDto,
  CategoryCreate,
  CategoryListQuery,
  CategoryPatch,
} from '@lapak/contracts';
import { decodeCursor, page, type Page } from '../db/cursor';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { categoryDeleted, categoryUpserted } from './catalog-events';
import { CategoryRepository } from './category.repository';
import { slugify } from './slug';

export class CategoryService {
  constructor(private readonly em: EntityManager) {}

  async list(query: CategoryListQuery): Promise<Page<CategoryDto>> {
    const rows = await new CategoryRepository(this.em).list({
      afterId: decodeCursor(query.cursor, 'uuid'),
      limit: query.limit + 1,
    });
    return page(rows, query.limit, (category) => category.id);
  }

  async get(id: string): Promise<CategoryDto> {
    const category = await new CategoryRepository(this.em).findLive(id);
    if (!category) throw AppError.notFound('Category');
    return category;
  }

  /** Creates the category and its `category.upserted` event in one transaction. */
  async create(input: CategoryCreate): Promise<CategoryDto> {
    return this.em.transactional(async (em) => {
      const categories = new CategoryRepository(em);
      const slug = input.slug ?? slugify(input.name);
      if (await categories.slugTaken(slug)) {
        throw new AppError('conflict', `A category with slug "${slug}" already exists`, {
          slug: 'already taken',
        });
      }
      if (input.parentId && !(await categories.lockLive(input.parentId))) {
        throw AppError.validation('The parent category does not exist', { parentId: 'no such category' });
      }
      const category = await categories.insert({
        id: newId(),
        name: input.name,
        slug,
        parentId: input.parentId ?? null,
      });
      await new OutboxRepository(em).append([categoryUpserted(category)]);
      return category;
    });
  }

  /** PUT: every field replaced; an omitted slug is made from the name, an omitted parent is none. */
  async replace(id: string, input: CategoryCreate): Promise<CategoryDto> {
    return this.change(id, {
      name: input.name,
      slug: input.slug ?? slugify(input.name),
      parentId: input.parentId ?? null,
    });
  }

  /** PATCH: only the given fields change. */
  async patch(id: string, input: CategoryPatch): Promise<CategoryDto> {
    return this.change(id, input);
  }

  /** Soft delete; refused with 409 while live products or subcategories are in it. */
  async delete(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const categories = new CategoryRepository(em);
      const deleted = await categories.softDelete(id);
      if (!deleted) throw AppError.notFound('Category');
      const { children, products } = await categories.liveDependents(id);
      if (children > 0 || products > 0) {
        throw new AppError(
          'conflict',
          `The category still has ${products} product(s) and ${children} subcategory(ies); move or delete them first`,
          { products, children },
        );
      }
      await new OutboxRepository(em).append([categoryDeleted(deleted)]);
    });
  }

  private change(id: string, fields: CategoryPatch): Promise<CategoryDto> {
    return this.em.transactional(async (em) => {
      const categories = new CategoryRepository(em);
      if (fields.parentId) {
        if (!(await categories.lockLive(fields.parentId))) {
          throw AppError.validation('The parent category does not exist', { parentId: 'no such category' });
        }
        if (await categories.isSelfOrDescendant(id, fields.parentId)) {
          throw AppError.validation('A category cannot be placed under itself', {
            parentId: 'is this category or one of its subcategories',
          });
        }
      }
      const category = await categories.update(id, fields);
      if (!category) throw AppError.notFound('Category');
      await new OutboxRepository(em).append([categoryUpserted(category)]);
      return category;
    });
  }
}
