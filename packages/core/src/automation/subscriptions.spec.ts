import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { domainEventTypes } from '@lapak/contracts';
import { flowSubscriptions, routeEvents } from './subscriptions';

describe('routeEvents', () => {
  const subscriptions = {
    'order-mails-v1': ['order.confirmed', 'order.failed'],
    'order-mails-v2': ['order.confirmed'],
    'stock-alerts-v1': ['stock.low'],
  };

  it('sends catalog events to the catalog sync and each domain event to every flow subscribed to it', () => {
    const routed = routeEvents(
      [
        { seq: 1, type: 'product.upserted' },
        { seq: 2, type: 'order.confirmed' },
        { seq: 3, type: 'stock.low' },
        { seq: 4, type: 'order.failed' },
        { seq: 5, type: 'category.deleted' },
      ],
      subscriptions,
    );

    expect(routed).toEqual({
      catalog: [1, 5],
      flows: [
        { flow: 'order-mails-v1', seqs: [2, 4] },
        { flow: 'order-mails-v2', seqs: [2] },
        { flow: 'stock-alerts-v1', seqs: [3] },
      ],
    });
  });

  it('relays a domain event no flow subscribes to nowhere, and leaves out flows with nothing to get', () => {
    expect(routeEvents([{ seq: 7, type: 'order.cancelled' }], subscriptions)).toEqual({
      catalog: [],
      flows: [],
    });
  });
});

describe('flowSubscriptions', () => {
  const files = readdirSync(new URL('../../../../n8n-workflows/', import.meta.url));

  it('names flows that exist in n8n-workflows/, each subscribed to known domain events', () => {
    for (const [flow, types] of Object.entries(flowSubscriptions)) {
      expect(files).toContain(`${flow}.json`);
      for (const type of types) expect(domainEventTypes).toContain(type);
    }
  });

  it('delivers every domain event type to some flow', () => {
    const subscribed = new Set(Object.values(flowSubscriptions).flat());
    expect([...subscribed].sort()).toEqual([...domainEventTypes].sort());
  });
});
