import type { OrderCreate, PaymentMethod, ShippingAddress } from '@lapak/contracts';

/** A shipping address that passes validation. */
export const sampleShippingAddress: ShippingAddress = {
  name: 'Siti Rahma',
  phone: '+62 812-3456-7890',
  line1: 'Jl. Malioboro 12',
  city: 'Yogyakarta',
  region: 'DI Yogyakarta',
  postalCode: '55271',
  country: 'ID',
};

/**
 * A checkout body (`POST /orders`) for these lines, paid by bank transfer unless told otherwise.
 * The lines are whatever the test sends, hostile ones included.
 */
export const checkoutBody = <Items = OrderCreate['items']>(
  items: Items,
  paymentMethod: PaymentMethod = 'bank_transfer',
) => ({ items, shippingAddress: sampleShippingAddress, paymentMethod });
