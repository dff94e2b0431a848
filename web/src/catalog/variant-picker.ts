/**
 * Choosing a variant, one option at a time, as the product page offers it: which values can be
 * chosen given the choices before them, and what the choice comes to. Pure functions of the
 * product's options and variants, so the page only renders them.
 *
 * Options are read in order: the first option's values are judged against every variant, the
 * second's against the variants with the first choice, and so on. Judging each option against
 * all the others' choices instead could leave a shopper stuck: with only "250 g, whole" and
 * "1 kg, ground" in stock, neither "1 kg" nor "ground" could be picked from "250 g, whole".
 */

export interface PickerOption {
  name: string;
  values: readonly string[];
}

export interface PickerVariant {
  optionValues: Readonly<Record<string, string>>;
  stock: number;
}

/** A choice of values by option name; options not yet chosen are absent. */
export type OptionChoice = Readonly<Record<string, string>>;

/**
 * `available`: some variant with it (and the earlier choices) is in stock; `sold_out`: such
 * variants exist but none is in stock; `unavailable`: no variant has it with the earlier choices.
 */
export type ValueState = 'available' | 'sold_out' | 'unavailable';

export interface OptionValueState {
  value: string;
  state: ValueState;
}

export interface OptionState {
  name: string;
  values: OptionValueState[];
}

const matches = (variant: PickerVariant, choice: OptionChoice, names: readonly string[]) =>
  names.every((name) => choice[name] === undefined || variant.optionValues[name] === choice[name]);

/** How each value of `options[index]` stands, given the choices of the options before it. */
function statesAt(
  options: readonly PickerOption[],
  variants: readonly PickerVariant[],
  choice: OptionChoice,
  index: number,
): OptionValueState[] {
  const option = options[index]!;
  const earlier = options.slice(0, index).map((o) => o.name);
  const candidates = variants.filter((variant) => matches(variant, choice, earlier));
  return option.values.map((value) => {
    const withValue = candidates.filter((variant) => variant.optionValues[option.name] === value);
    const state: ValueState =
      withValue.length === 0 ? 'unavailable' : withValue.some((v) => v.stock > 0) ? 'available' : 'sold_out';
    return { value, state };
  });
}

/** Each option with the state of each of its values under `choice`. */
export function optionStates(
  options: readonly PickerOption[],
  variants: readonly PickerVariant[],
  choice: OptionChoice,
): OptionState[] {
  return options.map((option, index) => ({
    name: option.name,
    values: statesAt(options, variants, choice, index),
  }));
}

/** The variant with exactly the chosen value of every option, if there is one. */
export function variantFor<V extends PickerVariant>(
  options: readonly PickerOption[],
  variants: readonly V[],
  choice: OptionChoice,
): V | null {
  if (options.some((option) => choice[option.name] === undefined)) return null;
  return (
    variants.find((variant) => options.every((o) => variant.optionValues[o.name] === choice[o.name])) ?? null
  );
}

/** The values of `variant` for `options` (the choice that names it). */
export const choiceOf = (options: readonly PickerOption[], variant: PickerVariant): Record<string, string> =>
  Object.fromEntries(
    options
      .filter((option) => variant.optionValues[option.name] !== undefined)
      .map((option) => [option.name, variant.optionValues[option.name]!]),
  );

/**
 * The choice a product page opens with: the variant named (by a shared link), else the first
 * variant in stock, else the first variant.
 */
export function initialChoice<V extends PickerVariant & { id: string | null }>(
  options: readonly PickerOption[],
  variants: readonly V[],
  variantId?: string | null,
): Record<string, string> {
  const named = variantId ? variants.find((variant) => variant.id === variantId) : undefined;
  const start = named ?? variants.find((variant) => variant.stock > 0) ?? variants[0];
  return start ? choiceOf(options, start) : {};
}

/**
 * `choice` with `value` chosen for option `name`. A later option whose value the new choice
 * makes unavailable or sold out moves to its first value that is available (or, when none is,
 * to its first value some variant has), so the choice always names a variant when one exists.
 */
export function choose(
  options: readonly PickerOption[],
  variants: readonly PickerVariant[],
  choice: OptionChoice,
  name: string,
  value: string,
): Record<string, string> {
  const next: Record<string, string> = { ...choice, [name]: value };
  const from = options.findIndex((option) => option.name === name);
  for (let index = from + 1; index < options.length; index++) {
    const option = options[index]!;
    const states = statesAt(options, variants, next, index);
    const current = states.find((state) => state.value === next[option.name]);
    if (current?.state === 'available') continue;
    const replacement =
      states.find((state) => state.state === 'available') ??
      (current?.state === 'sold_out' ? current : undefined) ??
      states.find((state) => state.state === 'sold_out');
    if (replacement) next[option.name] = replacement.value;
    else delete next[option.name];
  }
  return next;
}
