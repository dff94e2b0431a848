import { z } from 'zod';
import {
  cursorQuery,
  idSchema,
  isCleanText,
  page,
  patchSchema,
  slugSchema,
  text,
  timestamps,
} from './common';

export const productStatuses = ['draft', 'published', 'archived'] as const;
export type ProductStatus = (typeof productStatuses)[number];

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

const productFields = {
  sku: text(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores'),
  name: text(200),
  slug: slugSchema.optional(),
  priceCents: z.number().int('must be a whole number of minor units').min(0).max(100_000_000),
  currency: currencySchema,
  stock: z.number().int('must be a whole number').min(0).max(1_000_000_000),
  status: z.enum(productStatuses).default('draft'),
  categoryId: idSchema.nullable().optional(),
};

export const productCreateSchema = z.strictObject(productFields).meta({ id: 'ProductCreate' });
export const productReplaceSchema = productCreateSchema.meta({ id: 'ProductReplace' });
export const productPatchSchema = patchSchema(
  { ...productFields, status: z.enum(productStatuses) },
  'ProductPatch',
);

export const productSchema = z
  .object({
    id: idSchema,
    sku: z.string(),
    name: z.string(),
    slug: z.string(),
    priceCents: z.number().int(),
    currency: z.string(),
    stock: z.number().int(),
    status: z.enum(productStatuses),
    categoryId: idSchema.nullable(),
    version: z.number().int(),
    ...timestamps,
  })
  .meta({ id: 'Product' });

export const productListQuerySchema = z.strictObject({
  ...cursorQuery,
  status: z.enum(productStatuses).optional(),
  categoryId: idSchema.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(isCleanText, 'must not contain control characters or invalid Unicode')
    .optional(),
});

export const productPageSchema = page(productSchema).meta({ id: 'ProductPage' });

const categoryFields = {
  name: text(120),
  slug: slugSchema.optional(),
  parentId: idSchema.nullable().optional(),
};

export const categoryCreateSchema = z.strictObject(categoryFields).meta({ id: 'CategoryCreate' });
export const categoryReplaceSchema = categoryCreateSchema.meta({ id: 'CategoryReplace' });
export const categoryPatchSchema = patchSchema(categoryFields, 'CategoryPatch');

export const categorySchema = z
  .object({
    id: idSchema,
    name: z.string(),
    slug: z.string(),
    parentId: idSchema.nullable(),
    version: z.number().int(),
    ...timestamps,
  })
  .meta({ id: 'Category' });

export const categoryListQuerySchema = z.strictObject({ ...cursorQuery });
export const categoryPageSchema = page(categorySchema).meta({ id: 'CategoryPage' });

export type Product = z.infer<typeof productSchema>;
export type ProductCreate = z.infer<typeof productCreateSchema>;
export type ProductPatch = z.infer<typeof productPatchSchema>;
export type ProductListQuery = z.infer<typeof productListQuerySchema>;
export type Category = z.infer<typeof categorySchema>;
export type CategoryCreate = z.infer<typeof categoryCreateSchema>;
export type CategoryPatch = z.infer<typeof categoryPatchSchema>;
export type CategoryListQuery = z.infer<typeof categoryListQuerySchema>;
