/** A zod issue, as far as a form needs it. */
export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The part of a zod schema this needs (web has no zod of its own; the contracts bring it). */
export interface SafeParser {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly Issue[] } };
}

/** A message per field (the first for each), named by its dotted path as the API's `details` are. */
export function issuesByField(issues: readonly Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return fields;
}

/**
 * Checks form values against a contract schema, the same one the API validates with, and
 * returns a message per field (the first for each), as the API's `details` would; null if valid.
 */
export function fieldIssues(schema: SafeParser, values: unknown): Record<string, string> | null {
  const result = schema.safeParse(values);
  return result.success ? null : issuesByField(result.error.issues);
}
