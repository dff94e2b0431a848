// From the package's money entry, not its index: the index brings every schema and zod, which
// the first page must not wait for (docs/storefront.md, "Bundle size").
export { formatMoney, minorUnitDigits } from '@lapak/contracts/money';

export interface Priced {
  priceCents: number;
  currency: string;
  quantity: number;
}

/** Totals per currency, in minor units; an order has one currency, a cart may hold several. */
export function totalsByCurrency(lines: readonly Priced[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) {
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.priceCents * line.quantity);
  }
  return totals;
}
