import type { z } from 'zod';
import { idSchema } from '@lapak/contracts';
import { AppError } from '@lapak/core';

/** Field path → message, for the `details` of a 400 validation_failed. */
export function issuesToDetails(error: z.ZodError, root = '(body)'): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details[[...issue.path, key].join('.')] = 'is not a known field';
      continue;
    }
    const path = issue.path.join('.') || root;
    details[path] ??= issue.message;
  }
  return details;
}

/** Validates `input` against a contract schema; a mismatch is a 400 naming each bad field. */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what = 'request body',
  root?: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw AppError.validation(`The ${what} is not valid`, issuesToDetails(result.error, root));
  }
  return result.data;
}

/** The `:id` of a path (a UUID); a bad one is a 400 whose details name `id`. */
export const parseId = (id: unknown, what: string): string => parse(idSchema, id, what, 'id');
