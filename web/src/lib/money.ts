export { formatMoney, minorUnitDigits } from '@lapak/contracts';

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
