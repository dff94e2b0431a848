/**
 * Runs the JavaScript of the app's `{{…}}` bindings the way Appsmith does, so a test can follow
 * real API data through the app: what a widget shows, what an input starts from, the request a
 * query sends and what a button says when its query fails. A binding sees the names in `scope`
 * (the page's widgets and queries, Appsmith's functions, as plain objects) and JavaScript's
 * built-ins, nothing else.
 */
import { bindingsIn, type ExportedQuery } from './export-reader';

export type Scope = Record<string, unknown>;

/** The value of one binding's expression. */
export function evaluateBinding(expression: string, scope: Scope): unknown {
  const names = Object.keys(scope);
  const run = new Function(...names, `"use strict"; return (${expression});`) as (
    ...args: unknown[]
  ) => unknown;
  return run(...names.map((name) => scope[name]));
}

/** `text` with each binding replaced by `format` of its value. */
function substitute(text: string, scope: Scope, format: (value: unknown) => string): string {
  return bindingsIn(text).reduce(
    (out, expression) => out.replace(`{{${expression}}}`, () => format(evaluateBinding(expression, scope))),
    text,
  );
}

/**
 * A widget property's value: a property that is one binding takes the binding's value as it is
 * (a number, an array, a promise); bindings inside other text are written into it as strings.
 */
export function propertyValue(text: string, scope: Scope): unknown {
  const [only] = bindingsIn(text);
  if (only !== undefined && text === `{{${only}}}`) return evaluateBinding(only, scope);
  return substitute(text, scope, (value) => String(value ?? ''));
}

/**
 * The request a query sends: the path (below the datasource URL) with its bound segments and
 * its query string, and the JSON body with each bound value written as JSON (Appsmith's smart
 * JSON substitution, which quotes strings).
 */
export function requestOf(query: ExportedQuery, scope: Scope): { path: string; body?: unknown } {
  const path = substitute(query.path, scope, (value) => encodeURIComponent(String(value ?? '')));
  const search = new URLSearchParams(
    query.params.map(({ key, value }): [string, string] => [key, String(propertyValue(value, scope) ?? '')]),
  ).toString();
  const body = query.body
    ? (JSON.parse(substitute(query.body, scope, (value) => JSON.stringify(value ?? null))) as unknown)
    : undefined;
  return { path: search ? `${path}?${search}` : path, ...(body === undefined ? {} : { body }) };
}
