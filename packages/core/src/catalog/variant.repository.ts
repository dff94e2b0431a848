import type { Variant as VariantDto } from '@lapak/contracts';
import { jsonb } from '../db/database';
import { KyselyRepository } from '../db/kysely-repository';
import { AppError } from '../errors/app-error';

/** A variant's writable fields. */
export interface VariantFields {
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number;
  stock: number;
}

/** A live variant as its product's writes need it: its fields, id and order. */
export interface StoredVariant extends VariantFields {
  id: string;
  version: number;
  sort: number;
}

/** Unique sku among live variants, or option values within a product → 409 naming the field. */
function mapWriteError(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'product_variants_sku_key') {
    throw new AppError('conflict', 'A variant with this sku already exists', { sku: 'already taken' });
  }
  if (code === '23505' && constraint === 'product_variants_values_key') {
    throw new AppError('conflict', 'Another variant of the product has these option values', {
      optionValues: 'already taken',
    });
  }
  throw error;
}

/**
 * The variants of products. Every method runs in the transaction of a product write that has
 * locked the product and bumped its version: a changed variant takes that version, so a variant's
 * version is its product's when it last changed. A removed variant is soft-deleted: order lines
 * keep pointing at it.
 */
export class VariantRepository extends KyselyRepository {
  /** The live variants of a product, in their order. */
  async listLive(productId: string): Promise<StoredVariant[]> {
    const rows = await this.db
      .selectFrom('product_variants')
      .select(['id', 'sku', 'option_values', 'price_cents', 'stock', 'version', 'sort'])
      .where('product_id', '=', productId)
      .where('deleted_at', 'is', null)
      .orderBy('sort')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      sku: row.sku,
      optionValues: row.option_values,
      priceCents: row.price_cents,
      stock: row.stock,
      version: row.version,
      sort: row.sort,
    }));
  }

  async insertMany(
    productId: string,
    version: number,
    variants: (VariantFields & { id: string; sort: number })[],
  ): Promise<void> {
    if (variants.length === 0) return;
    await this.db
      .insertInto('product_variants')
      .values(
        variants.map((variant) => ({
          id: variant.id,
          product_id: productId,
          sku: variant.sku,
          option_values: jsonb(variant.optionValues),
          price_cents: variant.priceCents,
          stock: variant.stock,
          version,
          sort: variant.sort,
        })),
      )
      .execute()
      .catch(mapWriteError);
  }

  /** Sets the given fields of a live variant of `productId`; false when there is none. */
  async update(
    productId: string,
    variantId: string,
    version: number,
    fields: Partial<VariantFields>,
  ): Promise<boolean> {
    const row = await this.db
      .updateTable('product_variants')
      .set((eb) => ({
        sku: fields.sku,
        option_values: fields.optionValues && jsonb(fields.optionValues),
        price_cents: fields.priceCents,
        stock: fields.stock,
        version,
        updated_at: eb.fn('now'),
      }))
      .where('id', '=', variantId)
      .where('product_id', '=', productId)
      .where('deleted_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
      .catch(mapWriteError);
    return row !== undefined;
  }

  /** Soft-deletes live variants of `productId` (all of them when `ids` is not given). */
  async softDelete(productId: string, version: number, ids?: string[]): Promise<void> {
    if (ids?.length === 0) return;
    await this.db
      .updateTable('product_variants')
      .set((eb) => ({ deleted_at: eb.fn('now'), updated_at: eb.fn('now'), version }))
      .where('product_id', '=', productId)
      .where('deleted_at', 'is', null)
      .$if(ids !== undefined, (qb) => qb.where('id', '=', (eb) => eb.fn.any(eb.val(ids!))))
      .execute();
  }
}

/** A variant as the API shows it. */
export const toVariantDto = (variant: StoredVariant): VariantDto => ({
  id: variant.id,
  sku: variant.sku,
  optionValues: variant.optionValues,
  priceCents: variant.priceCents,
  stock: variant.stock,
  version: variant.version,
});
