import type { EntityManager } from '@mikro-orm/postgresql';
import {
  optionValueProblems,
  optionValuesKey,
  type Product as ProductDto,
  type ProductCreate,
  type ProductListQuery,
  type ProductOption,
  type ProductPatch,
  type ProductStatus,
  type VariantCreate,
  type VariantPatch,
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
import { VariantRepository, type VariantFields } from './variant.repository';

/** At most this many live variants per product (the contract's bound). */
const MAX_VARIANTS = 100;

/** The variants a create or replace asks for: its own, or the product itself as its one variant. */
const wantedVariants = (input: ProductCreate): VariantFields[] =>
  input.options?.length
    ? input.variants!
    : [{ sku: input.sku, optionValues: {}, priceCents: input.priceCents!, stock: input.stock! }];

const isAdmin = (principal?: Principal) => principal?.role === 'admin';

/**
 * Products and their variants: reads as the caller may see them (drafts and archived products
 * only for admins), and writes that change the rows, bump the product's version and append the
 * catalog event in ONE transaction, so a rolled-back change leaves no event and a committed one
 * always has it. A product's stock is the sum of its live variants' and its price the lowest of
 * theirs; a product without options has exactly one variant, which carries its sku, price and
 * stock.
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
      const id = newId();
      const variants = wantedVariants(input);
      const fields = await this.completeFields(em, input, variants);
      await new ProductRepository(em).insert(id, fields, input.options ?? []);
      await new VariantRepository(em).insertMany(
        id,
        1,
        variants.map((variant, sort) => ({ ...variant, id: newId(), sort })),
      );
      return this.committed(em, id);
    });
  }

  /**
   * PUT: every field replaced; an omitted slug is made from the name, an omitted category is
   * none. The variants become the ones given: a variant with the same option values as a live one
   * is that variant changed (its id stays), the others are added, and live ones not given are
   * removed.
   */
  async replace(id: string, input: ProductCreate): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const variants = wantedVariants(input);
      const fields = await this.completeFields(em, input, variants, id);
      const changed = await new ProductRepository(em).update(id, fields, input.options ?? []);
      if (!changed) throw AppError.notFound('Product');
      await this.replaceVariants(em, id, changed.version, variants);
      return this.committed(em, id);
    });
  }

  /**
   * PATCH: only the given fields change (the slug stays unless given). A product without options
   * passes its sku, price and stock on to its one variant; one with options has neither price nor
   * stock of its own, and new options must fit every variant it has.
   */
  async patch(id: string, input: ProductPatch): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      if (input.categoryId) await this.requireCategory(em, input.categoryId);
      const { options, ...fields } = input;
      const changed = await new ProductRepository(em).update(id, fields, options);
      if (!changed) throw AppError.notFound('Product');
      const variantRepository = new VariantRepository(em);
      const variants = await variantRepository.listLive(id);
      if (changed.options.length > 0) {
        const own = (['priceCents', 'stock'] as const).filter((field) => fields[field] !== undefined);
        if (own.length > 0) {
          throw AppError.validation(
            'A product with options has no price or stock of its own',
            Object.fromEntries(
              own.map((field) => [field, 'is set on each variant of a product with options']),
            ),
          );
        }
      }
      if (options) requireVariantsFit(options, variants);
      if (changed.options.length === 0 && variants.length === 1) {
        const { sku, priceCents, stock } = fields;
        if (sku !== undefined || priceCents !== undefined || stock !== undefined) {
          await variantRepository.update(id, variants[0]!.id, changed.version, { sku, priceCents, stock });
        }
      }
      return this.committed(em, id);
    });
  }

  async delete(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const deleted = await new ProductRepository(em).softDelete(id);
      if (!deleted) throw AppError.notFound('Product');
      await new VariantRepository(em).softDelete(id, deleted.version);
      await new OutboxRepository(em).append([productDeleted(deleted)]);
    });
  }

  /** Adds a variant to a product with options; answers the product with it. */
  async addVariant(productId: string, input: VariantCreate): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const changed = await new ProductRepository(em).update(productId, {});
      if (!changed) throw AppError.notFound('Product');
      if (changed.options.length === 0) {
        throw new AppError(
          'invalid_state',
          'A product without options has one variant, itself: give it options first (PUT /products/:id)',
        );
      }
      requireFits(changed.options, input.optionValues, 'optionValues');
      const variants = new VariantRepository(em);
      const live = await variants.listLive(productId);
      if (live.length >= MAX_VARIANTS) {
        throw new AppError('invalid_state', `A product has at most ${MAX_VARIANTS} variants`);
      }
      const sort = Math.max(-1, ...live.map((variant) => variant.sort)) + 1;
      await variants.insertMany(productId, changed.version, [{ ...input, id: newId(), sort }]);
      return this.committed(em, productId);
    });
  }

  /** Changes a variant; its option values must stay a combination of the product's options. */
  async patchVariant(productId: string, variantId: string, input: VariantPatch): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const changed = await new ProductRepository(em).update(productId, {});
      if (!changed) throw AppError.notFound('Product');
      if (input.optionValues) requireFits(changed.options, input.optionValues, 'optionValues');
      if (!(await new VariantRepository(em).update(productId, variantId, changed.version, input))) {
        throw AppError.notFound('Variant');
      }
      return this.committed(em, productId);
    });
  }

  /** Removes a variant; a product keeps at least one. */
  async deleteVariant(productId: string, variantId: string): Promise<ProductDto> {
    return this.em.transactional(async (em) => {
      const changed = await new ProductRepository(em).update(productId, {});
      if (!changed) throw AppError.notFound('Product');
      const variants = new VariantRepository(em);
      const live = await variants.listLive(productId);
      if (!live.some((variant) => variant.id === variantId)) throw AppError.notFound('Variant');
      if (live.length === 1) {
        throw new AppError(
          'invalid_state',
          'A product keeps at least one variant: delete the product, or add another variant first',
        );
      }
      await variants.softDelete(productId, changed.version, [variantId]);
      return this.committed(em, productId);
    });
  }

  /** After a write: the product's totals from its variants, its event, and the product. */
  private async committed(em: EntityManager, id: string): Promise<ProductDto> {
    const product = await new ProductRepository(em).refreshFromVariants(id);
    await new OutboxRepository(em).appendProductsUpserted([id]);
    return product;
  }

  /** Makes the live variants `wanted`, matching them by option values (see `replace`). */
  private async replaceVariants(
    em: EntityManager,
    productId: string,
    version: number,
    wanted: VariantFields[],
  ): Promise<void> {
    const variants = new VariantRepository(em);
    const live = await variants.listLive(productId);
    const byValues = new Map(live.map((variant) => [optionValuesKey(variant.optionValues), variant]));
    const kept = new Set<string>();
    const added: (VariantFields & { id: string; sort: number })[] = [];
    const changes: { id: string; fields: VariantFields }[] = [];
    wanted.forEach((fields, sort) => {
      const same = byValues.get(optionValuesKey(fields.optionValues));
      if (same) {
        kept.add(same.id);
        changes.push({ id: same.id, fields });
      } else added.push({ ...fields, id: newId(), sort });
    });
    // Removed first, so a sku they free can be taken by a variant added or changed here.
    await variants.softDelete(
      productId,
      version,
      live.filter((variant) => !kept.has(variant.id)).map((variant) => variant.id),
    );
    for (const { id, fields } of changes) await variants.update(productId, id, version, fields);
    await variants.insertMany(productId, version, added);
  }

  /** The full field set of a create or replace: default slug, category checked. */
  private async completeFields(
    em: EntityManager,
    input: ProductCreate,
    variants: VariantFields[],
    id?: string,
  ): Promise<ProductFields> {
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
      priceCents: Math.min(...variants.map((variant) => variant.priceCents)),
      currency: input.currency,
      stock: variants.reduce((sum, variant) => sum + variant.stock, 0),
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

/** 400 naming each problem of `values` as a variant of a product with `options`. */
function requireFits(options: ProductOption[], values: Record<string, string>, field: string): void {
  const problems = optionValueProblems(options, values);
  if (problems.length > 0) {
    throw AppError.validation('The option values do not fit the product', { [field]: problems.join('; ') });
  }
}

/** 400 when `options` would leave a live variant without a fitting value for each option. */
function requireVariantsFit(
  options: ProductOption[],
  variants: { sku: string; optionValues: Record<string, string> }[],
): void {
  const details: Record<string, string> = {};
  for (const variant of variants) {
    const problems = optionValueProblems(options, variant.optionValues);
    if (problems.length > 0) details[`options (variant ${variant.sku})`] = problems.join('; ');
  }
  if (Object.keys(details).length > 0) {
    throw AppError.validation(
      "The options do not fit the product's variants: change the variants with them (PUT /products/:id)",
      details,
    );
  }
}
