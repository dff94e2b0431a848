import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Product as ProductDto,
  ProductCreate,
  ProductListQuery,
  ProductPatch,
  ProductStatus,
} from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { decodeCursor, page, type Page } from '../db/cursor';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { productDeleted } from './catalog-events';
import { CategoryRepository } from './category.repository';
import { ProductRepository, type ProductFields } from './product.repository';
import { slugify } from './slug';

const isAdmin = (principal?: Principal) => principal?.role === 'admin';

/**
 * Products: reads as the caller may see them (drafts and archived products only for admins),
 * and writes that change the row, bump its version and append the catalog event in ONE
 * transaction, so a rolled-back change leaves no event and a committed one always has it.
 */
export class ProductService {
  constructor(private readonly em: EntityManager) {}

  async list(principal: Principal | undefined, query: ProductListQuery): Promise<Page<ProductDto>> {
    let statuses: ProductStatus[] | undefined = query.status ? [query.status] : undefined;
    if (!isAdmin(principal)) statuses = (statuses ?? ['published']).filter((s) => s === 'published');
    const rows = await new ProductRepository(this.em).list({
      statuses,
      categoryId: query.categoryId,
      q: query.q,
      afterId: decodeCursor(query.cursor, 'uuid'),
      limit: query.limit + 1,
    });
    return page(rows, query.limit, (product) => product.id);
  }

  async get(principal: Principal | undefined, id: string): Promise<ProductDto> {
    const product = await new ProductRepository(this.em).findLive(id);
    if (!product || (product.status !== 'published' && !isAdmin(principal))) {
      throw AppError.notFound('Product');
    }
    return product;
  }

  async create(input: ProductCreate): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const products = new ProductRepository(em);
      const fields = await this.completeFields(em, input);
      const product = await products.insert(newId(), fields);
      await new OutboxRepository(em).appendProductsUpserted([product.id]);
      return product;
    });
  }

  /** PUT: every field replaced; an omitted slug is made from the name, an omitted category is none. */
  async replace(id: string, input: ProductCreate): Promise<ProductDto> {
    return this.change(id, (em) => this.completeFields(em, input, id));
  }

  /** PATCH: only the given fields change (the slug stays unless given). */
  async patch(id: string, input: ProductPatch): Promise<ProductDto> {
    return this.change(id, async (em) => {
      if (input.categoryId) await this.requireCategory(em, input.categoryId);
      return { ...input };
    });
  }

  async delete(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const deleted = await new ProductRepository(em).softDelete(id);
      if (!deleted) throw AppError.notFound('Product');
      await new OutboxRepository(em).append([productDeleted(deleted)]);
    });
  }

  private change(
    id: string,
    fields: (em: EntityManager) => Promise<Partial<ProductFields>>,
  ): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const product = await new ProductRepository(em).update(id, await fields(em));
      if (!product) throw AppError.notFound('Product');
      await new OutboxRepository(em).appendProductsUpserted([product.id]);
      return product;
    });
  }

  /** The full field set of a create or replace: default slug, category checked. */
  private async completeFields(em: EntityManager, input: ProductCreate, id?: string): Promise<ProductFields> {
    if (input.categoryId) await this.requireCategory(em, input.categoryId);
    let slug = input.slug;
    if (!slug) {
      slug = slugify(input.name);
      // A generated slug that is taken gets the sku added; a given one is the caller's to choose.
      if (await new ProductRepository(em).slugTaken(slug, id)) slug = slugify(`${input.name}-${input.sku}`);
    }
    return {
      sku: input.sku,
      name: input.name,
      slug,
      priceCents: input.priceCents,
      currency: input.currency,
      stock: input.stock,
      status: input.status,
      categoryId: input.categoryId ?? null,
    };
  }

  private async requireCategory(em: EntityManager, categoryId: string): Promise<void> {
    if (!(await new CategoryRepository(em).lockLive(categoryId))) {
      throw AppError.validation('The category does not exist', { categoryId: 'no such category' });
    }
  }
}
