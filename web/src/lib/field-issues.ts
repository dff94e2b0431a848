/** The part of a zod schema this needs (web has no zod of its own; the contracts bring it). */
export interface SafeParser {
  safeParse(
    value: unknown,
  ):
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Checks form values against a contract schema, the same one the API validates with, and
 * returns a message per field (the first for each), as the API's `details` would; null if valid.
 */
export function fieldIssues(schema: SafeParser, values: unknown): Record<string, string> | null {
  const result = schema.safeParse(values);
  if (result.success) return null;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return fields;
}
