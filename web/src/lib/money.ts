const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, cached);
  }
  return cached;
}

/** How many minor units a currency has (EUR 2, JPY 0, KWD 3), as Intl knows it. */
export function minorUnitDigits(currency: string): number {
  return formatter(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units (the API's `priceCents`) as the shopper's locale writes it. */
export function formatMoney(minorUnits: number, currency: string, locale?: string): string {
  const amount = minorUnits / 10 ** minorUnitDigits(currency);
  return formatter(currency, locale).format(amount);
}

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
