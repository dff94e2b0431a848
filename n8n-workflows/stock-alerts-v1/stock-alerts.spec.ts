import { describe, expect, it } from 'vitest';
import { orderEvent, stockLowEvent } from '../automation/domain-events.fixture';
import { secret, signedBatch } from '../shared/signed-batch.fixture';
import { codeNode, setNodeOutput } from '../src/testing/code-node';

const flowFile = 'stock-alerts-v1.json';
const template = setNodeOutput(flowFile, 'Alert template');
const verify = codeNode(flowFile, 'Verify signature');
const render = codeNode(flowFile, 'Render alerts');

describe('stock-alerts v1', () => {
  it('Verify signature takes stock.low events only', async () => {
    const low = stockLowEvent();
    const order = orderEvent('confirmed');
    const [output] = await verify({
      input: [signedBatch([low, order])],
      env: { LAPAK_WEBHOOK_SECRET: secret },
    });
    expect(output!.json).toMatchObject({
      ok: true,
      events: [low],
      invalid: [{ id: order.id, status: 'failed' }],
    });
  });

  it('Render alerts writes one mail to the shop per event, from the template', async () => {
    const low = stockLowEvent(2);
    const [mail] = await render({
      input: [template],
      nodes: { 'Verify signature': [{ json: { events: [low], invalid: [] } }] },
      env: { LAPAK_SHOP_ALERT_EMAIL: 'owner@toko.example' },
    });
    expect(mail!.json).toMatchObject({ send: true, eventId: low.id, to: 'owner@toko.example' });
    expect(mail!.json.subject).toBe('Toko Lapak: Kopi Toraja (KOPI-001) is running low');
    expect(mail!.json.text).toContain('fell to 2, below the alert threshold of 5');
  });

  it('Render alerts fails an event when the shop has no alert address, and skips one handled before', async () => {
    const [first, second] = [stockLowEvent(), stockLowEvent()];
    const [output] = await render({
      input: [template],
      nodes: { 'Verify signature': [{ json: { events: [first, second], invalid: [] } }] },
      env: {},
      staticData: { handled: { [first.id]: Date.now() } },
    });
    expect(output!.json).toEqual({
      send: false,
      skipped: [
        { id: first.id, status: 'stale' },
        {
          id: second.id,
          status: 'failed',
          error: 'LAPAK_SHOP_ALERT_EMAIL is not set in the environment of n8n',
        },
      ],
    });
  });
});
