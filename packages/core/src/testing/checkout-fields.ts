import {
  exampleShippingAddress,
  type OrderCreate,
  type PaymentMethod,
  type ShippingAddress,
} from '@lapak/contracts';

/** A shipping address that passes validation. */
export const sampleShippingAddress: ShippingAddress = exampleShippingAddress;

/**
 * A checkout body (`POST /orders`) for these lines, paid by bank transfer unless told otherwise.
 * The lines are whatever the test sends, hostile ones included.
 */
export const checkoutBody = <Items = OrderCreate['items']>(
  items: Items,
  paymentMethod: PaymentMethod = 'bank_transfer',
) => ({ items, shippingAddress: sampleShippingAddress, paymentMethod });
