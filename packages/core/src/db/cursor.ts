import { AppError } from '../errors/app-error';

/**
 * Opaque pagination cursors: base64url of the last item's sort key. A list reads `limit + 1`
 * rows; the extra row only says that another page exists, and `page` cuts it off.
 */

/** The keys a cursor can carry: a uuid (catalog, orders) or a positive integer (log id, outbox seq). */
export type CursorKind = 'uuid' | 'numeric';

const keyPatterns: Record<CursorKind, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  numeric: /^[1-9]\d{0,17}$/,
};

export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

/** The key in `cursor`, or undefined for the first page; a cursor not holding a `kind` key is a 400. */
export function decodeCursor(cursor: string | undefined, kind: CursorKind): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!keyPatterns[kind].test(key)) {
    throw AppError.validation('The cursor is not valid', {
      cursor: 'must be a cursor returned by a previous page',
    });
  }
  return key;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of `rows` read with `limit + 1`: the first `limit` items, and a cursor to the last of
 * them only when the extra row shows that more follow.
 */
export function page<T>(rows: readonly T[], limit: number, keyOf: (item: T) => string | number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
