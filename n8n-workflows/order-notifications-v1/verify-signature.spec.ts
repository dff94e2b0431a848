import { describe, expect, it } from 'vitest';
import { orderEvent, stockLowEvent } from '../automation/domain-events.fixture';
import { secret, signedBatch } from '../shared/signed-batch.fixture';
import { codeNode } from '../src/testing/code-node';

const verify = codeNode('order-notifications-v1.json', 'Verify signature');

describe('order-notifications v1: Verify signature', () => {
  it('takes the order events, and answers events of other types failed', async () => {
    const confirmed = orderEvent('confirmed');
    const stock = stockLowEvent();
    const [output] = await verify({
      input: [signedBatch([confirmed, stock])],
      env: { LAPAK_WEBHOOK_SECRET: secret },
    });
    expect(output!.json).toMatchObject({
      ok: true,
      requestId: 'req-1',
      events: [confirmed],
      invalid: [{ id: stock.id, status: 'failed', error: expect.stringContaining('order.confirmed') }],
    });
  });
});
