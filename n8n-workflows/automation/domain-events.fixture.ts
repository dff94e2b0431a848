import { randomUUID } from 'node:crypto';
import type { OrderEvent, StockLowEvent } from '@lapak/contracts';

/** An order event as the worker sends it: `order.<status>` of a two-line order in IDR. */
export function orderEvent(
  status: 'awaiting_payment' | 'confirmed' | 'failed' | 'cancelled',
  data: Partial<OrderEvent['data']> = {},
): OrderEvent {
  const orderId = randomUUID();
  return {
    id: randomUUID(),
    type: `order.${status}`,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    aggregate: { type: 'order', id: orderId },
    data: {
      orderId,
      status,
      failureReason: null,
      customer: { email: 'siti@example.com', name: 'Siti' },
      lines: [
        {
          productId: randomUUID(),
          variantId: randomUUID(),
          optionValues: { Weight: '250 g', Grind: 'Whole bean' },
          sku: 'KOPI-001',
          name: 'Kopi Toraja',
          quantity: 2,
          unitPriceCents: 12_500_000,
          lineTotalCents: 25_000_000,
          lineTotalText: 'IDR 250,000',
        },
        {
          productId: randomUUID(),
          variantId: randomUUID(),
          optionValues: {},
          sku: 'TEH-002',
          name: 'Teh Melati',
          quantity: 1,
          unitPriceCents: 4_000_000,
          lineTotalCents: 4_000_000,
          lineTotalText: 'IDR 40,000',
        },
      ],
      totalCents: 29_000_000,
      currency: 'IDR',
      totalText: 'IDR 290,000',
      shippingAddress: {
        name: 'Siti Rahma',
        phone: '+62 812 3456 7890',
        line1: 'Jl. Merdeka 17',
        city: 'Bandung',
        postalCode: '40111',
        country: 'ID',
      },
      payment: null,
      shop: { name: 'Toko Lapak' },
      createdAt: new Date().toISOString(),
      ...data,
    },
  };
}

/** A stock.low event of a product left with `stock` units under a threshold of 5. */
export function stockLowEvent(stock = 3): StockLowEvent {
  const productId = randomUUID();
  return {
    id: randomUUID(),
    type: 'stock.low',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    aggregate: { type: 'product', id: productId, version: 4 },
    data: {
      productId,
      sku: 'KOPI-001',
      name: 'Kopi Toraja',
      stock,
      threshold: 5,
      shop: { name: 'Toko Lapak' },
    },
  };
}
