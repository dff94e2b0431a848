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

const skuSchema = text(64).regex(
  /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  'must be letters, digits, dots, dashes or underscores',
);
const priceCentsSchema = z.number().int('must be a whole number of minor units').min(0).max(100_000_000);
const stockSchema = z.number().int('must be a whole number').min(0).max(1_000_000_000);

/** Where `items` repeat a key (by `keyOf`), one issue per repeat, at `path` + index + `field`. */
function refuseRepeats<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  field: (string | number)[],
  message: string,
): z.core.$ZodRawIssue[] {
  const seen = new Set<string>();
  const issues: z.core.$ZodRawIssue[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) issues.push({ code: 'custom', input: item, path: [index, ...field], message });
    seen.add(key);
  });
  return issues;
}

/**
 * One option of a product, e.g. `{name: "Weight", values: ["250 g", "1 kg"]}`: a name unique
 * within the product and 1..50 distinct values, in the order the storefront shows them.
 */
export const productOptionSchema = z
  .strictObject({
    name: text(40),
    values: z
      .array(text(60))
      .min(1, 'must have at least one value')
      .max(50, 'must have at most 50 values')
      .check((payload) => {
        for (const issue of refuseRepeats(payload.value, (v) => v, [], 'appears more than once'))
          payload.issues.push(issue);
      }),
  })
  .meta({ id: 'ProductOption' });

export const productOptionsSchema = z
  .array(productOptionSchema)
  .max(3, 'must have at most 3 options')
  .check((payload) => {
    for (const issue of refuseRepeats(payload.value, (o) => o.name, ['name'], 'names another option'))
      payload.issues.push(issue);
  });

/**
 * The same option values as one key, whatever order the object lists them in: how a variant is
 * told from its siblings (PostgreSQL's `jsonb` compares them the same way).
 */
export const optionValuesKey = (values: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A variant's value for each of its product's options, by option name. */
export const optionValuesSchema = z.record(text(40), text(60));

const variantFields = {
  sku: skuSchema,
  optionValues: optionValuesSchema,
  priceCents: priceCentsSchema,
  stock: stockSchema,
};

export const variantCreateSchema = z.strictObject(variantFields).meta({ id: 'VariantCreate' });
export const variantPatchSchema = patchSchema(variantFields, 'VariantPatch');

/**
 * A product with options carries 1..100 variants, each with its own sku, values, price and
 * stock; a product without options has exactly one, made from the product's own sku, price and
 * stock. Two variants of one product never share a sku or the same option values.
 */
export const variantsInputSchema = z
  .array(variantCreateSchema)
  .min(1, 'must have at least one variant')
  .max(100, 'must have at most 100 variants')
  .check((payload) => {
    const repeats = [
      ...refuseRepeats(payload.value, (v) => v.sku.toLowerCase(), ['sku'], 'names another variant'),
      ...refuseRepeats(
        payload.value,
        (v) => optionValuesKey(v.optionValues),
        ['optionValues'],
        'are the values of another variant',
      ),
    ];
    for (const issue of repeats) payload.issues.push(issue);
  });

const productFields = {
  sku: skuSchema,
  name: text(200),
  slug: slugSchema.optional(),
  priceCents: priceCentsSchema,
  currency: currencySchema,
  stock: stockSchema,
  status: z.enum(productStatuses).default('draft'),
  categoryId: idSchema.nullable().optional(),
};

/**
 * A product with options gives `options` and `variants`, and no `priceCents` or `stock` of its
 * own (they are its variants'); a product without options gives `priceCents` and `stock`.
 */
export const productCreateSchema = z
  .strictObject({
    ...productFields,
    priceCents: priceCentsSchema.optional(),
    stock: stockSchema.optional(),
    options: productOptionsSchema.optional(),
    variants: variantsInputSchema.optional(),
  })
  .check((payload) => {
    const { options = [], variants, priceCents, stock } = payload.value;
    const issue = (path: string, message: string) =>
      payload.issues.push({ code: 'custom', input: payload.value, path: [path], message });
    if (options.length === 0) {
      if (variants)
        issue('options', 'are required with variants: a product without options has one variant, itself');
      if (!variants && priceCents === undefined)
        issue('priceCents', 'is required for a product without options');
      if (!variants && stock === undefined) issue('stock', 'is required for a product without options');
      return;
    }
    if (!variants) issue('variants', 'are required for a product with options');
    if (priceCents !== undefined) issue('priceCents', 'is set on each variant of a product with options');
    if (stock !== undefined) issue('stock', 'is set on each variant of a product with options');
    variants?.forEach((variant, index) => {
      for (const problem of optionValueProblems(options, variant.optionValues)) {
        payload.issues.push({
          code: 'custom',
          input: variant,
          path: ['variants', index, 'optionValues'],
          message: problem,
        });
      }
    });
  })
  .meta({ id: 'ProductCreate' });
export const productReplaceSchema = productCreateSchema.meta({ id: 'ProductReplace' });
export const productPatchSchema = patchSchema(
  { ...productFields, status: z.enum(productStatuses), options: productOptionsSchema },
  'ProductPatch',
);

/**
 * What is wrong with `values` as a variant of a product with `options` (empty when nothing):
 * one value for every option, each one of that option's values, and no other key.
 */
export function optionValueProblems(
  options: readonly ProductOption[],
  values: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  for (const option of options) {
    const value = values[option.name];
    if (value === undefined) problems.push(`must give a value for "${option.name}"`);
    else if (!option.values.includes(value))
      problems.push(`"${value}" is not a value of "${option.name}" (${option.values.join(', ')})`);
  }
  for (const name of Object.keys(values)) {
    if (!options.some((option) => option.name === name))
      problems.push(`"${name}" is not an option of the product`);
  }
  return problems;
}

export const variantSchema = z
  .object({
    id: idSchema,
    sku: z.string(),
    optionValues: z.record(z.string(), z.string()),
    priceCents: z.number().int(),
    stock: z.number().int(),
    /** The product's version when this variant last changed. */
    version: z.number().int(),
  })
  .meta({ id: 'Variant' });

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
    options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
    variants: z.array(variantSchema),
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
export type ProductOption = z.infer<typeof productOptionSchema>;
export type Variant = z.infer<typeof variantSchema>;
export type VariantCreate = z.infer<typeof variantCreateSchema>;
export type VariantPatch = z.infer<typeof variantPatchSchema>;
export type Category = z.infer<typeof categorySchema>;
export type CategoryCreate = z.infer<typeof categoryCreateSchema>;
export type CategoryPatch = z.infer<typeof categoryPatchSchema>;
export type CategoryListQuery = z.infer<typeof categoryListQuerySchema>;
