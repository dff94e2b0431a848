import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Product as ProductDto, ProductOption, ProductStatus, Variant } from '@lapak/contracts';
import { isoTimestamps, jsonb, type Database } from '../db/database';
import { AppError } from '../errors/app-error';
import { productFieldColumns, productFields } from './catalog-columns';
import type { ProductEventFields } from './catalog-events';
import { CatalogRowRepository } from './catalog-row.repository';

/** The API-owned, writable fields of a product (camelCase): all but the id and the version. */
export type ProductFields = Omit<ProductEventFields, 'id' | 'version'>;

/** The columns a product is read with, everywhere in this file. */
const productColumns = [...productFieldColumns, 'options', 'created_at', 'updated_at'] as const;

type ProductRow = Pick<Selectable<Database['products']>, (typeof productColumns)[number]> & {
  variants: Variant[];
};

/** A product's live variants in their order, as one JSON column of its row. */
const variantsOf = (eb: ExpressionBuilder<Database, 'products'>) =>
  jsonArrayFrom(
    eb
      .selectFrom('product_variants as v')
      .select([
        'v.id',
        'v.sku',
        'v.option_values as optionValues',
        'v.price_cents as priceCents',
        'v.stock',
        'v.version',
      ])
      .whereRef('v.product_id', '=', 'products.id')
      .where('v.deleted_at', 'is', null)
      .orderBy('v.sort')
      .orderBy('v.id'),
  ).as('variants');

const toDto = (row: ProductRow): ProductDto => ({
  ...productFields(row),
  options: row.options,
  variants: row.variants,
  ...isoTimestamps(row),
});

/** The given fields as columns; fields left undefined are not set. */
function toColumns(fields: ProductFields): Omit<Insertable<Database['products']>, 'id'>;
function toColumns(fields: Partial<ProductFields>): Updateable<Database['products']>;
function toColumns(fields: Partial<ProductFields>): Updateable<Database['products']> {
  return {
    sku: fields.sku,
    name: fields.name,
    slug: fields.slug,
    price_cents: fields.priceCents,
    currency: fields.currency,
    stock: fields.stock,
    status: fields.status,
    category_id: fields.categoryId,
  };
}

/** Unique sku/slug among live products → 409 naming the field; anything else passes through. */
function mapWriteError(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'products_sku_key') {
    throw new AppError('conflict', 'A product with this sku already exists', { sku: 'already taken' });
  }
  if (code === '23505' && constraint === 'products_slug_key') {
    throw new AppError('conflict', 'A product with this slug already exists', { slug: 'already taken' });
  }
  if (code === '23503' && constraint === 'products_category_id_fkey') {
    throw AppError.validation('The category does not exist', { categoryId: 'no such category' });
  }
  throw error;
}

/** `%` and `_` in a search term are literal characters, not patterns. */
const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Products; writes bump `version` in the same statement that changes the row. */
export class ProductRepository extends CatalogRowRepository {
  protected readonly table = 'products';

  async findLive(id: string): Promise<ProductDto | null> {
    const row = await this.db
      .selectFrom('products')
      .select(productColumns)
      .select(variantsOf)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? toDto(row) : null;
  }

  /** Live products in id order after `afterId`; `q` matches name or sku (trigram index). */
  async list(options: {
    statuses?: ProductStatus[];
    categoryId?: string;
    q?: string;
    afterId?: string;
    limit: number;
  }): Promise<ProductDto[]> {
    const { statuses, categoryId, q, afterId } = options;
    const rows = await this.db
      .selectFrom('products')
      .select(productColumns)
      .select(variantsOf)
      .where('deleted_at', 'is', null)
      .$if(statuses !== undefined, (qb) => qb.where('status', '=', (eb) => eb.fn.any(eb.val(statuses!))))
      .$if(Boolean(categoryId), (qb) => qb.where('category_id', '=', categoryId!))
      // The expression of products_search_idx, with the space a literal so the index matches it.
      .$if(Boolean(q), (qb) =>
        qb.where((eb) =>
          eb(eb(eb('name', '||', sql.lit(' ')), '||', eb.ref('sku')), 'ilike', `%${likeEscape(q!)}%`),
        ),
      )
      .$if(Boolean(afterId), (qb) => qb.where('id', '>', afterId!))
      .orderBy('id')
      .limit(options.limit)
      .execute();
    return rows.map(toDto);
  }

  /** Inserts a product at version 1 (its variants follow, by VariantRepository). */
  async insert(id: string, fields: ProductFields, options: ProductOption[]): Promise<void> {
    await this.db
      .insertInto('products')
      .values({ id, ...toColumns(fields), options: jsonb(options) })
      .execute()
      .catch(mapWriteError);
  }

  /**
   * Sets the given fields (and `options` when given) and `version + 1`, locking the row; returns
   * the new version and the options, or null when there is no live product with this id.
   */
  async update(
    id: string,
    fields: Partial<ProductFields>,
    options?: ProductOption[],
  ): Promise<{ version: number; options: ProductOption[] } | null> {
    const row = await this.updateLive(id)
      .set((eb) => ({
        ...toColumns(fields),
        options: options && jsonb(options),
        version: eb('version', '+', 1),
        updated_at: eb.fn('now'),
      }))
      .returning(['version', 'options'])
      .executeTakeFirst()
      .catch(mapWriteError);
    return row ?? null;
  }

  /**
   * Makes the product's stock the sum of its live variants' and its price the lowest of theirs;
   * a product without options also takes its one variant's sku. Returns the product as read
   * after the change.
   */
  async refreshFromVariants(id: string): Promise<ProductDto> {
    await sql`
      update products p
         set stock = v.stock, price_cents = v.price_cents,
             sku = case when jsonb_array_length(p.options) = 0 then v.sku else p.sku end
        from (select sum(stock)::int as stock, min(price_cents)::int as price_cents, min(sku) as sku
                from product_variants where product_id = ${id} and deleted_at is null) as v
       where p.id = ${id}
    `
      .execute(this.db)
      .catch(mapWriteError);
    const product = await this.findLive(id);
    if (!product) throw AppError.notFound('Product');
    return product;
  }
}
