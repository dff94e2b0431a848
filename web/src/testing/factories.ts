import { exampleShippingAddress, type AuthResult, type Order, type ShippingAddress } from '@lapak/contracts';

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A token shaped like the API's JWT; the browser reads its payload and never checks the signature. */
export const makeToken = (payload: object): string =>
  `${base64url({ alg: 'HS256' })}.${base64url(payload)}.signature`;

/** Seconds since the epoch, `seconds` from now: a token's `exp`. */
export const secondsFromNow = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;

/** The API's answer to a log-in or a registration: Ana, with a token good for an hour. */
export const makeAuthResult = (token = makeToken({ sub: 'u1', exp: secondsFromNow(3600) })): AuthResult => ({
  token,
  user: {
    id: '0192f0c4-0000-7000-8000-000000000001',
    email: 'ana@example.com',
    name: 'Ana',
    role: 'customer',
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
  },
});

/** Siti's address, as the checkout sends it and an order gives it back. */
export const sampleAddress: ShippingAddress = exampleShippingAddress;

/**
 * An order as the API answers it: two mugs, pending, with Siti's address; `payment` null until
 * the order is decided (see `awaitingPayment`).
 */
export const makeOrder = (overrides: Partial<Order> = {}): Order => ({
  id: '0192f0c4-0000-7000-8000-00000000a1b2',
  status: 'pending',
  failureReason: null,
  items: [
    {
      productId: 'p1',
      variantId: '0192f0c4-0000-7000-8000-00000000f001',
      optionValues: {},
      sku: 'MUG-1',
      name: 'Stoneware mug',
      unitPriceCents: 1850,
      quantity: 2,
    },
  ],
  totalCents: 3700,
  currency: 'EUR',
  shippingAddress: sampleAddress,
  payment: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  ...overrides,
});

/** `order` reserved and waiting for a bank transfer due at `dueAt`. */
export const awaitingPayment = (order: Order, dueAt: string, updatedAt = order.updatedAt): Order => ({
  ...order,
  status: 'awaiting_payment',
  updatedAt,
  payment: {
    method: 'bank_transfer',
    status: 'pending',
    reference: 'LPK-7Q4M-9XZ2',
    amountCents: order.totalCents,
    currency: order.currency,
    dueAt,
    paidAt: null,
    instructions: `Transfer EUR 37.00 to Bank Lapak (demo), account 000-000-0000 (Lapak), and write LPK-7Q4M-9XZ2 as the transfer's reference.`,
  },
});
