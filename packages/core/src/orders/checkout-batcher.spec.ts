import { describe, expect, it } from 'vitest';
import { checkoutBatcher } from './checkout-batcher';
import { sampleShippingAddress } from '../testing/checkout-fields';
import type { CheckoutInsert, NewCheckout } from './order.repository';

const checkout = (id: string): NewCheckout => ({
  id,
  userId: 'u',
  lines: [{ productId: 'p', quantity: 1 }],
  shippingAddress: sampleShippingAddress,
  paymentMethod: 'bank_transfer',
  key: { userId: 'u', key: id, requestHash: 'h' },
});

function deferredWriter() {
  const calls: Array<{ ids: string[]; finish: (fail?: boolean) => void }> = [];
  const write = (checkouts: NewCheckout[]) =>
    new Promise<CheckoutInsert[]>((resolve, reject) => {
      calls.push({
        ids: checkouts.map((c) => c.id),
        finish: (fail) =>
          fail ? reject(new Error('batch failed')) : resolve(checkouts.map(() => ({ status: 'key_exists' }))),
      });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('checkoutBatcher', () => {
  it('writes a lone checkout at once and gathers those that arrive meanwhile into one batch', async () => {
    const { calls, write } = deferredWriter();
    const batcher = checkoutBatcher(write, { maxBatch: 2, maxInFlight: 1 });
    const results = ['a', 'b', 'c', 'd'].map((id) => batcher.submit(checkout(id)));
    expect(calls.map((c) => c.ids)).toEqual([['a']]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c']]);
    calls[1]!.finish();
    await tick();
    calls[2]!.finish();
    expect(await Promise.all(results)).toHaveLength(4);
    expect(calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('retries each checkout of a failed batch alone, so only the bad one fails', async () => {
    const calls: string[][] = [];
    const batcher = checkoutBatcher(
      async (checkouts) => {
        calls.push(checkouts.map((c) => c.id));
        await tick();
        if (checkouts.some((c) => c.id === 'bad')) throw new Error('bad checkout');
        return checkouts.map(() => ({ status: 'invalid' }) as const);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const first = batcher.submit(checkout('first'));
    const others = ['ok1', 'bad', 'ok2'].map((id) => batcher.submit(checkout(id)));
    await first;
    const settled = await Promise.allSettled(others);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['first'], ['ok1', 'bad', 'ok2'], ['ok1'], ['bad'], ['ok2']]);
  });
});
