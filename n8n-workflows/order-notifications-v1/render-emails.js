// One email per order event, to the shopper, from the shop owner's templates (the "Email
// templates" node: edit the texts there). A template names what it shows in braces: {shop},
// {name}, {orderId}, {lines}, {total}, {address}, {instructions}, {payment}, {reason}. An event
// this flow handled before (a redelivery) gets no second mail and is answered `stale`.
const { fill, renderMails } = require('../automation/domain-batch.cjs');

const templates = $input.first().json;

const addressOf = (address) =>
  address
    ? [
        address.name,
        address.line1,
        address.line2,
        [address.postalCode, address.city].filter(Boolean).join(' '),
        address.region,
        address.country,
      ]
        .filter(Boolean)
        .join('\n')
    : '';

// "2 × Kopi Toraja, 250 g, Whole bean (KOPI-250-W)  IDR 250,000": the variant's option values
// after the name.
const lineOf = (line) =>
  `${line.quantity} × ${[line.name, ...Object.values(line.optionValues || {})].join(', ')} (${line.sku})  ${line.lineTotalText}`;

const mailOf = (event) => {
  const order = event.data;
  const kind = event.type.slice('order.'.length);
  const payment = order.payment;
  const values = {
    shop: order.shop.name,
    name: order.customer.name,
    orderId: order.orderId,
    lines: order.lines.map(lineOf).join('\n'),
    total: order.totalText,
    address: addressOf(order.shippingAddress),
    instructions: payment ? payment.instructions : '',
    payment: '',
    reason: order.failureReason ? templates[`reason_${order.failureReason}`] || order.failureReason : '',
  };
  if (payment && payment.status === 'paid') values.payment = fill(templates.payment_paid, values);
  else if (payment && payment.status === 'refunded')
    values.payment = fill(templates.payment_refunded, values);
  else if (payment && payment.status === 'due_on_delivery') values.payment = payment.instructions;
  return {
    to: order.customer.email,
    subject: fill(templates[`${kind}_subject`], values),
    text: fill(templates[`${kind}_body`], values).replace(/\n{3,}/g, '\n\n'),
  };
};

return renderMails({
  events: $('Verify signature').first().json.events,
  staticData: $getWorkflowStaticData('global'),
  mailOf,
});
