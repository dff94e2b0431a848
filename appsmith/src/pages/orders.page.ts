import { orderStatuses } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { formModal, listTable, pagerRow, rowActionButton, rowInputs, statusFilter } from '../page-sections';
import { valuesText } from '../product-options';
import { cursorPager, js, runQuery } from '../triggers';
import { button, datePicker, table, text } from '../widgets';

const pager = cursorPager('listOrders', 'ordersCursor');
const selected = 'OrdersTable.selectedRow';
const order = 'getOrder.data';
const payment = `${order}?.payment`;
const address = `${order}?.shippingAddress`;
const selectedInput = rowInputs(selected);

/**
 * Everyone's orders filtered by status and creation time; an order's lines, payment and shipping
 * address; cancel; mark a bank transfer paid.
 */
export const ordersPage: PageDefinition = {
  name: 'Orders',
  slug: 'orders',
  queries: [
    {
      name: 'listOrders',
      method: 'GET',
      path: '/orders',
      params: {
        status: "{{OrderStatusFilter.selectedOptionValue || ''}}",
        from: "{{OrdersFrom.selectedDate || ''}}",
        to: "{{OrdersTo.selectedDate || ''}}",
        cursor: pager.cursorParam,
        limit: '20',
      },
      onLoad: true,
    },
    { name: 'getOrder', method: 'GET', path: `/orders/{{${selected}.id}}` },
    { name: 'cancelOrder', method: 'POST', path: `/orders/{{${selected}.id}}/cancel`, confirm: true },
    {
      // The API confirms the order only for exactly the amount its payment asks for (and its own
      // reference), so what the admin types from the bank statement is checked, not trusted.
      name: 'confirmPayment',
      method: 'POST',
      path: `/orders/{{${selected}.id}}/payment/confirm`,
      body: { amountCents: '{{Number(PaidAmount.text)}}', reference: '{{PaidReference.text}}' },
    },
  ],
  widgets: [
    text('OrdersTitle', { top: 0, left: 0, height: 5, width: 40 }, 'Orders', { size: 'heading' }),
    statusFilter('OrderStatusFilter', { top: 6, left: 0, height: 7, width: 14 }, orderStatuses, pager),
    datePicker(
      'OrdersFrom',
      { top: 6, left: 14, height: 7, width: 16 },
      {
        label: 'Created from',
        onDateSelected: pager.restart,
      },
    ),
    datePicker(
      'OrdersTo',
      { top: 6, left: 30, height: 7, width: 16 },
      {
        label: 'Created before',
        onDateSelected: pager.restart,
      },
    ),
    button(
      'ResetOrderFilters',
      { top: 9, left: 48, height: 4, width: 16 },
      {
        label: 'Clear filters',
        variant: 'SECONDARY',
        onClick: js(
          "resetWidget('OrderStatusFilter').then(() => resetWidget('OrdersFrom')).then(() => resetWidget('OrdersTo'))" +
            `.then(() => ${pager.restartExpression})`,
        ),
      },
    ),
    button(
      'CancelOrderButton',
      { top: 14, left: 0, height: 4, width: 14 },
      {
        label: 'Cancel order',
        variant: 'SECONDARY',
        // An admin cancels any order still open (the API answers 409 for failed and cancelled ones).
        isDisabled: js(`!['pending', 'awaiting_payment', 'confirmed'].includes(${selected}.status)`),
        onClick: runQuery('cancelOrder', {
          success: 'Order cancelled',
          failure: 'Could not cancel the order',
          reload: ['listOrders', 'getOrder'],
        }),
      },
    ),
    rowActionButton('MarkPaidButton', { top: 14, left: 14, height: 4, width: 14 }, selected, {
      label: 'Mark paid',
      // Only a bank transfer still waiting for its money; the API refuses any other (409).
      isDisabled: js(`${selected}.status !== 'awaiting_payment' || ${selected}.paymentStatus !== 'pending'`),
      onClick: js("resetWidget('PaymentModal', true).then(() => showModal('PaymentModal'))"),
    }),
    ...pagerRow('Orders', pager, 14),
    {
      ...listTable(
        'OrdersTable',
        { top: 19, left: 0, height: 72, width: 38 },
        {
          label: 'Orders',
          query: 'listOrders',
          item: 'o',
          onRowSelected: js('getOrder.run()'),
          columns: [
            { key: 'id', label: 'Order', width: 290 },
            { key: 'status', label: 'Status', width: 140 },
            { key: 'failureReason', label: 'Failure', width: 150, value: 'o.failureReason || ""' },
            // An order has a payment once it is decided (pending orders have none yet).
            { key: 'paymentMethod', label: 'Payment', width: 140, value: 'o.payment?.method || ""' },
            { key: 'paymentStatus', label: 'Payment status', width: 130, value: 'o.payment?.status || ""' },
            { key: 'paymentReference', label: 'Reference', width: 160, value: 'o.payment?.reference || ""' },
            { key: 'dueAt', label: 'Pay by', width: 200, value: 'o.payment?.dueAt || ""' },
            { key: 'totalCents', label: 'Total (minor units)', type: 'number', width: 140 },
            { key: 'currency', label: 'Currency', width: 90 },
            { key: 'lines', label: 'Lines', type: 'number', width: 70, value: 'o.items.length' },
            { key: 'createdAt', label: 'Created', width: 200 },
            {
              key: 'paymentAmount',
              label: 'Amount due (minor units)',
              type: 'number',
              hidden: true,
              value: 'o.payment?.amountCents ?? null',
            },
          ],
        },
      ),
      // No row is selected until the admin picks one, so the detail never shows a stale order.
      defaultSelectedRowIndex: -1,
      defaultSelectedRowIndices: [],
    },
    text(
      'OrderDetailTitle',
      { top: 19, left: 39, height: 4, width: 25 },
      js(`${order}?.id ? 'Order ' + ${order}.id : 'Select an order to see its lines'`),
      { bold: true },
    ),
    text(
      'OrderDetailSummary',
      { top: 23, left: 39, height: 9, width: 25 },
      js(
        `${order}?.id ? ['Status: ' + ${order}.status + (${order}.failureReason ? ' (' + ${order}.failureReason + ')' : ''), ` +
          `'Total: ' + ${order}.totalCents + ' ' + ${order}.currency + ' (minor units)', ` +
          `'Created: ' + ${order}.createdAt, 'Updated: ' + ${order}.updatedAt].join('\\n') : ''`,
      ),
      { size: 'small' },
    ),
    text(
      'OrderPaymentSummary',
      { top: 33, left: 39, height: 11, width: 25 },
      js(
        `${payment} ? [` +
          `'Payment: ' + ${payment}.method + ', ' + ${payment}.status, ` +
          `'Reference: ' + ${payment}.reference, ` +
          `'Amount: ' + ${payment}.amountCents + ' ' + ${payment}.currency + ' (minor units)', ` +
          `${payment}.dueAt ? 'Pay by: ' + ${payment}.dueAt : '', ` +
          `${payment}.paidAt ? 'Paid at: ' + ${payment}.paidAt : ''` +
          `].filter(Boolean).join('\\n') : ${order}?.id ? 'Payment: none yet (an order gets one when it is decided)' : ''`,
      ),
      { size: 'small' },
    ),
    text(
      'OrderShippingAddress',
      { top: 44, left: 39, height: 10, width: 25 },
      js(
        `${address} ? ['Ship to: ' + ${address}.name + ', ' + ${address}.phone, ${address}.line1, ${address}.line2, ` +
          `${address}.postalCode + ' ' + ${address}.city, ${address}.region, ${address}.country].filter(Boolean).join('\\n') : ` +
          `${order}?.id ? 'Ship to: no address (placed before addresses were asked for)' : ''`,
      ),
      { size: 'small' },
    ),
    table(
      'OrderLinesTable',
      { top: 55, left: 39, height: 36, width: 25 },
      {
        label: 'Lines',
        data: js(
          `(${order}?.items || []).map((line) => ({ productId: line.productId, variantId: line.variantId, sku: line.sku, name: line.name, values: ${valuesText('line.optionValues')}, unitPriceCents: line.unitPriceCents, quantity: line.quantity }))`,
        ),
        columns: [
          { key: 'productId', label: 'Product id', hidden: true },
          { key: 'variantId', label: 'Variant id', hidden: true },
          { key: 'sku', label: 'SKU', width: 120 },
          { key: 'name', label: 'Name', width: 200 },
          { key: 'values', label: 'Variant', width: 160 },
          { key: 'unitPriceCents', label: 'Unit price (minor units)', type: 'number', width: 150 },
          { key: 'quantity', label: 'Quantity', type: 'number', width: 90 },
        ],
      },
    ),
    formModal('Payment', {
      size: { width: 520, height: 330 },
      title: 'Mark the bank transfer received',
      titleWidth: 62,
      fields: [
        text(
          'PaymentModalDue',
          { top: 6, left: 1, height: 8, width: 62 },
          js(
            `'Order ' + ${selected}.id + ' asks for ' + ${selected}.paymentAmount + ' ' + ${selected}.currency + ` +
              `' (minor units), reference ' + ${selected}.paymentReference + ', by ' + ${selected}.dueAt + '. ' + ` +
              `'Enter what the bank statement shows: the API refuses any other amount or reference.'`,
          ),
          { size: 'small' },
        ),
        selectedInput(
          'PaidAmount',
          { top: 15, left: 1, height: 7, width: 30 },
          'Amount received (minor units)',
          'paymentAmount',
          { type: 'NUMBER' },
        ),
        selectedInput(
          'PaidReference',
          { top: 15, left: 33, height: 7, width: 30 },
          'Reference on the transfer',
          'paymentReference',
        ),
      ],
      buttons: { top: 25, width: 16 },
      saveLabel: 'Mark paid',
      onSave: runQuery('confirmPayment', {
        success: 'Payment recorded: the order is confirmed',
        failure: 'Could not mark the order paid',
        closeModal: 'PaymentModal',
        reload: ['listOrders', 'getOrder'],
      }),
    }),
  ],
};
