import { catalogEventTypes, type DomainEventType } from '@lapak/contracts';

/**
 * Which automation flow versions receive which domain events: the one list of subscriptions. A
 * flow version is named as its file and webhook path in n8n-workflows/ (`order-notifications-v1`
 * answers at `/webhook/order-notifications-v1`). Catalog events are not listed: they go to the
 * catalog sync alone (docs/sync.md). Subscribing a flow is a line here and its file there
 * (docs/automation.md); two versions of a flow may be listed side by side while one replaces
 * the other, and each receives every event it subscribes to.
 */
export const flowSubscriptions: Readonly<Record<string, readonly DomainEventType[]>> = {
  'order-notifications-v1': ['order.awaiting_payment', 'order.confirmed', 'order.failed', 'order.cancelled'],
  'stock-alerts-v1': ['stock.low'],
};

export interface RoutedEvents {
  /** Sequence numbers of catalog events, for the catalog sync. */
  catalog: number[];
  /** Per subscribed flow, the sequence numbers of the domain events it receives, in order. */
  flows: { flow: string; seqs: number[] }[];
}

const catalogTypes: ReadonlySet<string> = new Set(catalogEventTypes);

/**
 * Where each relayed event goes: a catalog event to the catalog sync, a domain event to every
 * flow subscribed to its type (none: it is relayed and goes nowhere). Flows come out in the
 * order of `subscriptions`, each with its events in the order given.
 */
export function routeEvents(
  events: readonly { seq: number; type: string }[],
  subscriptions: Readonly<Record<string, readonly string[]>> = flowSubscriptions,
): RoutedEvents {
  const catalog: number[] = [];
  const byFlow = new Map<string, number[]>(Object.keys(subscriptions).map((flow) => [flow, []]));
  for (const { seq, type } of events) {
    if (catalogTypes.has(type)) {
      catalog.push(seq);
      continue;
    }
    for (const [flow, types] of Object.entries(subscriptions)) {
      if (types.includes(type)) byFlow.get(flow)!.push(seq);
    }
  }
  const flows = [...byFlow].filter(([, seqs]) => seqs.length > 0).map(([flow, seqs]) => ({ flow, seqs }));
  return { catalog, flows };
}
