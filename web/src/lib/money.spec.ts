import { describe, expect, it } from 'vitest';
import { formatMoney, minorUnitDigits, totalsByCurrency } from './money';

describe('formatMoney', () => {
  it('divides by the currency’s own minor units', () => {
    expect(formatMoney(123456, 'EUR', 'en-US')).toBe('€1,234.56');
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
    expect(formatMoney(1234, 'KWD', 'en-US')).toBe('KWD\u00a01.234');
  });

  it('reads IDR in ISO 4217’s two minor units and writes it as the locale does', () => {
    expect(formatMoney(12_000_000, 'IDR', 'en-US')).toBe('IDR\u00a0120,000');
    expect(formatMoney(12_000_000, 'IDR', 'id-ID')).toBe('Rp\u00a0120.000');
    expect(formatMoney(125_050, 'IDR', 'en-US')).toBe('IDR\u00a01,250.5');
  });

  it('follows the locale', () => {
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
  });

  it('knows the minor units of each currency', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('BHD')).toBe(3);
    expect(minorUnitDigits('IDR')).toBe(2);
  });
});

describe('totalsByCurrency', () => {
  it('adds price × quantity per currency', () => {
    const totals = totalsByCurrency([
      { priceCents: 250, currency: 'EUR', quantity: 3 },
      { priceCents: 1000, currency: 'USD', quantity: 1 },
      { priceCents: 99, currency: 'EUR', quantity: 1 },
    ]);
    expect([...totals]).toEqual([
      ['EUR', 849],
      ['USD', 1000],
    ]);
  });
});
