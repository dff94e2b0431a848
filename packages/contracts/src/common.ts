import { z } from 'zod';

/**
 * A UUID, given back in lower case, as PostgreSQL writes them. PostgreSQL reads a uuid in either
 * case, but code compares ids as strings (the checkout's repeated-line check, for one): an id in
 * capitals would otherwise count as another id there.
 */
export const idSchema = z.uuid({ error: 'must be a UUID' }).toLowerCase();

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** No control characters and no lone UTF-16 surrogates (they cannot be stored as UTF-8). */
export const isCleanText = (value: string) => !controlCharacters.test(value) && value.isWellFormed();
const cleanTextMessage = 'must not contain control characters or invalid Unicode';

/** A text field: trimmed, no control characters or lone surrogates, bounded length. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isCleanText, cleanTextMessage);

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single dashes');

export const cursorQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/**
 * A PATCH body: any subset of `fields`, unknown keys refused, and at least one field given (an
 * empty patch is a client mistake, not a no-op to answer 200).
 */
export const patchSchema = <T extends z.ZodRawShape>(fields: T, id: string) =>
  z
    .strictObject(fields)
    .partial()
    .refine((value) => Object.keys(value).length > 0, 'must change at least one field')
    .meta({ id });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const timestamps = {
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
