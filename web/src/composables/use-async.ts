import { shallowRef, type ShallowRef } from 'vue';

export interface AsyncState<T> {
  data: ShallowRef<T | null>;
  error: ShallowRef<Error | null>;
  loading: ShallowRef<boolean>;
  /** Runs the loader; an older run that finishes later is ignored. */
  run: () => Promise<void>;
}

/** Loading, error and data of one async read, for pages that show all three. */
export function useAsync<T>(loader: () => Promise<T>): AsyncState<T> {
  const data = shallowRef<T | null>(null);
  const error = shallowRef<Error | null>(null);
  const loading = shallowRef(false);
  let latest = 0;

  async function run() {
    const ticket = ++latest;
    loading.value = true;
    error.value = null;
    try {
      const value = await loader();
      if (ticket === latest) data.value = value;
    } catch (caught) {
      if (ticket === latest) error.value = caught instanceof Error ? caught : new Error(String(caught));
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { data, error, loading, run };
}
