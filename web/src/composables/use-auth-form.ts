import { computed, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ApiError, toApiError } from '../api/api-error';
import { safeRedirect } from '../router';

/**
 * Submitting a log-in or register form: one request at a time, the API's field messages kept
 * beside their fields, the general message above the form, then on to where the shopper was.
 */
export function useAuthForm<T>(
  submit: (values: T) => Promise<unknown>,
  /** Checks the values first (the contract's schema); field messages, or null when valid. */
  check: (values: T) => Promise<Record<string, string> | null> = async () => null,
) {
  const route = useRoute();
  const router = useRouter();
  const busy = ref(false);
  const error = ref<ApiError | null>(null);
  const fieldErrors = computed(() => error.value?.fields ?? {});
  /** A message for the top of the form: the API's own words, or a pointer to the fields. */
  const formError = computed(() => {
    if (!error.value) return null;
    const onFields = Object.keys(error.value.fields).some((field) => field !== '(body)');
    return error.value.code === 'validation_failed' && onFields
      ? 'Please correct the highlighted fields.'
      : error.value.message;
  });

  async function send(values: T) {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      const fields = await check(values);
      if (fields) {
        error.value = new ApiError(
          'Please correct the highlighted fields.',
          'validation_failed',
          400,
          fields,
        );
        return;
      }
      await submit(values);
      await router.replace(safeRedirect(route.query.redirect));
    } catch (caught) {
      error.value = toApiError(caught);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, fieldErrors, formError, send };
}
