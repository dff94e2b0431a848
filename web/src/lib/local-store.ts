/**
 * JSON in localStorage under a versioned key. Reading never throws: a missing, unparsable or
 * rejected value gives the fallback, and storage that refuses writes (private mode, full) is
 * ignored, so the shop keeps working without persistence.
 */
export interface LocalStore<T> {
  read(): T;
  write(value: T): void;
  clear(): void;
  key: string;
}

export function localStore<T>(
  key: string,
  fallback: () => T,
  accept: (value: unknown) => value is T,
): LocalStore<T> {
  return {
    key,
    read() {
      try {
        const raw = globalThis.localStorage?.getItem(key);
        if (raw == null) return fallback();
        const value: unknown = JSON.parse(raw);
        return accept(value) ? value : fallback();
      } catch {
        return fallback();
      }
    },
    write(value) {
      try {
        globalThis.localStorage?.setItem(key, JSON.stringify(value));
      } catch {
        // Storage full or disabled: the state lives on in memory for this visit.
      }
    },
    clear() {
      try {
        globalThis.localStorage?.removeItem(key);
      } catch {
        // As above.
      }
    },
  };
}
