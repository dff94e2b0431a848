/**
 * ISO 4217 minor units of the currencies that do not have two (the API's `priceCents` is in
 * these). Intl's display digits differ for some (it writes IDR, HUF or TWD without decimals), so
 * they cannot say how to read an amount.
 */
const isoMinorUnits: Record<string, number> = {
  ...Object.fromEntries(
    'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' ').map((c) => [c, 0]),
  ),
  ...Object.fromEntries('BHD IQD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3])),
  CLF: 4,
  UYW: 4,
};

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let cached = formatters.get(key);
  if (!cached) {
    const display = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions();
    // The locale's usual digits, and more only when an amount has them (IDR 1,250.50).
    cached = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: display.minimumFractionDigits,
      maximumFractionDigits: Math.max(display.maximumFractionDigits ?? 2, minorUnitDigits(currency)),
    });
    formatters.set(key, cached);
  }
  return cached;
}

/** How many minor units a currency has in ISO 4217 (EUR 2, IDR 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  return isoMinorUnits[currency.toUpperCase()] ?? 2;
}

/** An amount in minor units (the API's `priceCents`) as the shopper's locale writes it. */
export function formatMoney(minorUnits: number, currency: string, locale?: string): string {
  const amount = minorUnits / 10 ** minorUnitDigits(currency);
  return formatter(currency, locale).format(amount);
}
