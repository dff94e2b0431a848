import { describe, expect, it } from 'vitest';
import { orderEvent } from '../automation/domain-events.fixture';
import { codeNode, setNodeOutput } from '../src/testing/code-node';

/** The shop owner's templates as the "Email templates" node outputs them. */
const templates = setNodeOutput('order-notifications-v1.json', 'Email templates');

const render = codeNode('order-notifications-v1.json', 'Render emails');
const rendered = async (events: unknown[], staticData: Record<string, unknown> = {}) =>
  (
    await render({
      input: [templates],
      nodes: { 'Verify signature': [{ json: { ok: true, events, invalid: [] } }] },
      staticData,
    })
  ).map((item) => item.json);

const transfer = {
  method: 'bank_transfer' as const,
  status: 'pending' as const,
  reference: 'LP-AB12-CD34-EF56',
  amountCents: 29_000_000,
  currency: 'IDR',
  dueAt: '2026-12-06T10:00:00.000Z',
  paidAt: null,
  instructions:
    'Transfer IDR 290,000 to Bank Lapak, account 000-1 (Lapak), and write LP-AB12-CD34-EF56 as the reference.',
};

describe('order-notifications v1: Render emails', () => {
  it('writes the awaiting-payment mail with the lines and their options, the total and the payment instructions', async () => {
    const event = orderEvent('awaiting_payment', { payment: transfer });
    const [mail] = await rendered([event]);
    expect(mail).toMatchObject({ send: true, eventId: event.id, to: 'siti@example.com', skipped: [] });
    expect(mail!.subject).toBe('Toko Lapak: please pay for your order');
    expect(mail!.text).toContain('Hello Siti,');
    expect(mail!.text).toContain('2 × Kopi Toraja, 250 g, Whole bean (KOPI-001)  IDR 250,000');
    expect(mail!.text).toContain('1 × Teh Melati (TEH-002)  IDR 40,000');
    expect(mail!.text).toContain('Total: IDR 290,000');
    expect(mail!.text).toContain(`How to pay: ${transfer.instructions}`);
    expect(mail!.text).toContain('Jl. Merdeka 17\n40111 Bandung\nID');
    expect(mail!.text).toContain(`Order ${event.data.orderId}`);
  });

  it('writes a failure in plain words, for every reason an order fails', async () => {
    const reasons = {
      out_of_stock: 'sold out',
      product_unavailable: 'no longer for sale',
      payment_expired: 'did not receive your payment before its deadline',
      processing_failed: 'could not process it',
      timed_out: 'took us too long',
    } as const;
    for (const [reason, words] of Object.entries(reasons)) {
      const [mail] = await rendered([
        orderEvent('failed', { failureReason: reason as keyof typeof reasons }),
      ]);
      expect(mail!.subject).toBe('Toko Lapak: your order could not be completed');
      expect(mail!.text).toContain(words);
      expect(mail!.text).not.toContain(reason);
    }
  });

  it('says the payment was received on a confirmation, and refunded on a cancellation of a paid order', async () => {
    const paid = { ...transfer, status: 'paid' as const, paidAt: '2026-12-05T10:00:00.000Z' };
    const [confirmed, cancelled] = await rendered([
      orderEvent('confirmed', { payment: paid }),
      orderEvent('cancelled', { payment: { ...paid, status: 'refunded' } }),
    ]);
    expect(confirmed!.subject).toBe('Toko Lapak: your order is confirmed');
    expect(confirmed!.text).toContain('We have received your payment of IDR 290,000.');
    expect(cancelled!.subject).toBe('Toko Lapak: your order is cancelled');
    expect(cancelled!.text).toContain('Your payment of IDR 290,000 will be refunded');
  });

  it('sends no second mail for an event handled before, and says so', async () => {
    const event = orderEvent('confirmed');
    const output = await rendered([event], { handled: { [event.id]: Date.now() } });
    expect(output).toEqual([{ send: false, skipped: [{ id: event.id, status: 'stale' }] }]);
  });
});
