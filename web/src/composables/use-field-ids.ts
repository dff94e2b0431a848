import { computed, useId } from 'vue';

/**
 * The ids a labelled control ties together: its own (for the label), its hint's and its error's,
 * and the `aria-describedby` naming whichever of those two are shown, the error first.
 */
export function useFieldIds(props: { hint?: string; error?: string | null }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = computed(
    () => [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined,
  );
  return { id, hintId, errorId, describedBy };
}
