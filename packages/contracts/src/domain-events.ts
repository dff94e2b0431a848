import { z } from 'zod';
import { idSchema } from './common';
import { orderFailureReasons, orderStatuses, shippingAddressSchema } from './orders';
import { paymentMethods, paymentStatuses } from './payments';

/**
 * Domain events: what happened in the shop, for the automation flows in n8n (docs/automation.md).
 * They travel through the same outbox, relay and signed delivery as catalog events, but each goes
 * to every flow subscribed to its type (automation/subscriptions.ts in @lapak/core), at least once
 * and with no version supersede: an event is a fact, never replaced by a newer one.
 */
export const orderEventTypes = [
  'order.awaiting_payment',
  'order.confirmed',
  'order.failed',
  'order.cancelled',
] as const;
export const domainEventTypes = [...orderEventTypes, 'stock.low'] as const;
export type OrderEventType = (typeof orderEventTypes)[number];
export type DomainEventType = (typeof domainEventTypes)[number];

/** What a domain event is about. An order has no version; a product's is the one it fell at. */
export const domainAggregateTypes = ['order', 'product'] as const;
export type DomainAggregateType = (typeof domainAggregateTypes)[number];

export const isDomainEventType = (type: string): type is DomainEventType =>
  (domainEventTypes as readonly string[]).includes(type);

const envelope = <
  const Types extends readonly [string, ...string[]],
  A extends z.ZodType,
  T extends z.ZodType,
>(
  types: Types,
  aggregate: A,
  data: T,
) =>
  z.object({
    id: idSchema,
    type: z.enum(types),
    schemaVersion: z.literal(1),
    occurredAt: z.iso.datetime(),
    aggregate,
    data,
  });

export const orderEventLineSchema = z.object({
  productId: idSchema,
  /** The variant ordered, and its option values (`{"Weight": "250 g"}`; empty without options). */
  variantId: idSchema.nullable(),
  optionValues: z.record(z.string(), z.string()),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
  lineTotalCents: z.number().int(),
  /** The line's total as the shop writes amounts (`IDR 50,000`). */
  lineTotalText: z.string(),
});

/** An order's payment as its events carry it: the stored facts and the instructions in words. */
export const orderEventPaymentSchema = z.object({
  method: z.enum(paymentMethods),
  status: z.enum(paymentStatuses),
  reference: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
  dueAt: z.iso.datetime({ offset: true }).nullable(),
  paidAt: z.iso.datetime({ offset: true }).nullable(),
  /** What the shopper does to pay (PaymentProvider.instructions), filled in when delivered. */
  instructions: z.string(),
});

/** Everything a mail about the order needs, as it stood when its status changed. */
export const orderEventDataSchema = z.object({
  orderId: idSchema,
  status: z.enum(orderStatuses),
  failureReason: z.enum(orderFailureReasons).nullable(),
  customer: z.object({ email: z.string(), name: z.string() }),
  lines: z.array(orderEventLineSchema),
  totalCents: z.number().int(),
  currency: z.string(),
  /** The total as the shop writes amounts (`IDR 50,000`). */
  totalText: z.string(),
  shippingAddress: shippingAddressSchema.nullable(),
  payment: orderEventPaymentSchema.nullable(),
  shop: z.object({ name: z.string() }),
  createdAt: z.iso.datetime({ offset: true }),
});

export const orderEventSchema = envelope(
  orderEventTypes,
  z.object({ type: z.literal('order'), id: idSchema }),
  orderEventDataSchema,
).meta({ id: 'OrderEvent' });

/** A product whose stock fell below the shop's low-stock threshold. */
export const stockLowEventDataSchema = z.object({
  productId: idSchema,
  /** Set when a variant of a product with options fell low; its sku is then the variant's. */
  variantId: idSchema.optional(),
  optionValues: z.record(z.string(), z.string()).optional(),
  sku: z.string(),
  name: z.string(),
  stock: z.number().int(),
  threshold: z.number().int(),
  shop: z.object({ name: z.string() }),
});

export const stockLowEventSchema = envelope(
  ['stock.low'],
  z.object({ type: z.literal('product'), id: idSchema, version: z.number().int().min(1) }),
  stockLowEventDataSchema,
).meta({ id: 'StockLowEvent' });

export const domainEventSchema = z.union([orderEventSchema, stockLowEventSchema]);

export type OrderEventData = z.infer<typeof orderEventDataSchema>;
export type OrderEvent = z.infer<typeof orderEventSchema>;
export type StockLowEvent = z.infer<typeof stockLowEventSchema>;
export type DomainEvent = z.infer<typeof domainEventSchema>;

/** The body a flow receives: `{events: [...]}`, answered `{results: [{id, status, error?}]}`. */
export const domainEventBatchSchema = z.object({ events: z.array(domainEventSchema).min(1).max(1000) });

/**
 * An automation job: outbox sequence numbers of domain events for one flow version (`flow`, e.g.
 * `order-notifications-v1`, its webhook path), the attempt and the request id.
 */
export const automationJobSchema = z.object({
  flow: z.string().regex(/^[a-z0-9-]+-v\d+$/),
  seqs: z.array(z.number().int().min(1)).min(1).max(1000),
  attempt: z.number().int().min(1),
  requestId: z.string().min(1).max(128),
});
export type AutomationJob = z.infer<typeof automationJobSchema>;
