/**
 * The JavaScript the Products page runs for a product's options and variants (bodies of
 * `{{…}}` bindings). Options are typed on one line, as admins read them back in the table:
 * `Weight: 250 g, 500 g, 1 kg; Grind: Whole bean, Ground`.
 *
 * None of them may contain `}}`: Appsmith ends a binding at the first one.
 */

/** `[{name, values}]` from the one-line text in `text` (an expression); [] for an empty text. */
export const parseOptions = (text: string) =>
  `String(${text} || '').split(';').map((part) => part.split(':'))` +
  `.filter((pair) => pair[0].trim() !== '')` +
  `.map((pair) => ({ name: pair[0].trim(), values: pair.slice(1).join(':').split(',').map((value) => value.trim()).filter((value) => value !== '') }))`;

/** The one-line text of `options` (an expression of `[{name, values}]`), as `parseOptions` reads it. */
export const optionsText = (options: string) =>
  `(${options} || []).map((option) => option.name + ': ' + option.values.join(', ')).join('; ')`;

/** `Weight: 250 g, Grind: Ground` for a variant's `optionValues` (an expression). */
export const valuesText = (optionValues: string) =>
  `Object.entries(${optionValues} || {}).map((entry) => entry[0] + ': ' + entry[1]).join(', ')`;

/**
 * Every combination of `options`' values as a variant of a new product: the sku is the
 * product's with each value's letters and digits added (`KOPI-250G-GROUND`; the value's
 * position where it has none), each with the same price and stock, which the admin then
 * changes variant by variant.
 */
export const everyCombination = (
  options: string,
  fields: { sku: string; priceCents: string; stock: string },
) =>
  `${options}` +
  `.reduce((combinations, option) => combinations.flatMap((combination) => option.values.map((value, index) => combination.concat([[option.name, value, index]]))), [[]])` +
  `.map((combination) => ({ sku: [${fields.sku}].concat(combination.map((chosen) => String(chosen[1]).toUpperCase().replace(/[^A-Z0-9]+/g, '') || String(chosen[2] + 1))).join('-'), ` +
  `optionValues: Object.fromEntries(combination.map((chosen) => [chosen[0], chosen[1]])), ` +
  `priceCents: ${fields.priceCents}, stock: ${fields.stock} }))`;
