import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor, page } from './cursor';

const uuid = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

function validationError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('decodeCursor', () => {
  it('gives undefined for the first page', () => {
    expect(decodeCursor(undefined, 'uuid')).toBeUndefined();
    expect(decodeCursor(undefined, 'numeric')).toBeUndefined();
  });

  it('gives back the key that was encoded', () => {
    expect(decodeCursor(encodeCursor(uuid), 'uuid')).toBe(uuid);
    expect(decodeCursor(encodeCursor(42), 'numeric')).toBe('42');
    expect(decodeCursor(encodeCursor('900719925474099'), 'numeric')).toBe('900719925474099');
  });

  it.each([
    ['uuid', encodeCursor('42')],
    ['uuid', encodeCursor(uuid.toUpperCase())],
    ['uuid', 'not base64 at all!'],
    ['numeric', encodeCursor(uuid)],
    ['numeric', encodeCursor(0)],
    ['numeric', encodeCursor('-3')],
    ['numeric', encodeCursor('0012')],
    ['numeric', encodeCursor('1'.repeat(19))],
    ['numeric', ''],
  ] as const)(
    'refuses a %s cursor holding something else (%s) with a 400 naming `cursor`',
    (kind, cursor) => {
      const error = validationError(() => decodeCursor(cursor, kind));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual({ cursor: expect.any(String) });
    },
  );
});

describe('page', () => {
  const rows = [{ id: 3 }, { id: 2 }, { id: 1 }];

  it('cuts the extra row and points the cursor at the last item kept', () => {
    const result = page(rows, 2, (row) => row.id);
    expect(result.items).toEqual([{ id: 3 }, { id: 2 }]);
    expect(result.nextCursor).toBe(encodeCursor(2));
    expect(decodeCursor(result.nextCursor!, 'numeric')).toBe('2');
  });

  it('has no next cursor when no extra row was read', () => {
    expect(page(rows, 3, (row) => row.id)).toEqual({ items: rows, nextCursor: null });
    expect(page(rows, 5, (row) => row.id)).toEqual({ items: rows, nextCursor: null });
    expect(page([], 5, (row: { id: number }) => row.id)).toEqual({ items: [], nextCursor: null });
  });

  it('keeps the key as given, so a uuid cursor round-trips', () => {
    const result = page([{ id: uuid }, { id: 'next' }], 1, (row) => row.id);
    expect(decodeCursor(result.nextCursor!, 'uuid')).toBe(uuid);
  });
});
