import { describe, expect, it } from 'vitest';
import { failureReasonText, isFinal, statusExplanation, statusLabel } from './order-status';

describe('order status words', () => {
  it('labels every status', () => {
    expect(['pending', 'confirmed', 'failed', 'cancelled'].map((s) => statusLabel(s as never))).toEqual([
      'Processing',
      'Confirmed',
      'Failed',
      'Cancelled',
    ]);
  });

  it('explains each failure reason in plain words, never the code', () => {
    for (const reason of ['out_of_stock', 'product_unavailable', 'processing_failed', 'timed_out'] as const) {
      const text = failureReasonText(reason);
      expect(text).not.toContain('_');
      expect(text).toMatch(/nothing was ordered/);
    }
    expect(failureReasonText('out_of_stock')).toMatch(/sold out/);
    expect(failureReasonText(null)).toMatch(/could not be completed/);
    expect(statusExplanation('failed', 'product_unavailable')).toMatch(/no longer for sale/);
  });

  it('knows which statuses are final', () => {
    expect(isFinal('pending')).toBe(false);
    expect(isFinal('confirmed') && isFinal('failed') && isFinal('cancelled')).toBe(true);
  });
});
