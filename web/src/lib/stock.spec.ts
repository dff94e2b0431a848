import { describe, expect, it } from 'vitest';
import { stockStatus } from './stock';

describe('stockStatus', () => {
  it('says sold out at zero (or below, should a stale number ever say so)', () => {
    expect(stockStatus(0)).toEqual({ level: 'sold_out', label: 'Sold out' });
    expect(stockStatus(-1).level).toBe('sold_out');
  });

  it('says only N left when few remain', () => {
    expect(stockStatus(1)).toEqual({ level: 'low', label: 'Only 1 left' });
    expect(stockStatus(5)).toEqual({ level: 'low', label: 'Only 5 left' });
  });

  it('says in stock otherwise', () => {
    expect(stockStatus(6)).toEqual({ level: 'in_stock', label: 'In stock' });
  });
});
