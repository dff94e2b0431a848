import { orderStatuses } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { listTable, pagerRow, statusFilter } from '../page-sections';
import { cursorPager, js, runQuery } from '../triggers';
import { button, datePicker, table, text } from '../widgets';

const pager = cursorPager('listOrders', 'ordersCursor');
const selected = 'OrdersTable.selectedRow';
const order = 'getOrder.data';

/** Everyone's orders filtered by status and creation time; an order's lines; cancel. */
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
        isDisabled: js(`!['pending', 'confirmed'].includes(${selected}.status)`),
        onClick: runQuery('cancelOrder', {
          success: 'Order cancelled',
          failure: 'Could not cancel the order',
          reload: ['listOrders', 'getOrder'],
        }),
      },
    ),
    ...pagerRow('Orders', pager, 14),
    {
      ...listTable(
        'OrdersTable',
        { top: 19, left: 0, height: 66, width: 38 },
        {
          label: 'Orders',
          query: 'listOrders',
          item: 'o',
          onRowSelected: js('getOrder.run()'),
          columns: [
            { key: 'id', label: 'Order', width: 290 },
            { key: 'status', label: 'Status', width: 100 },
            { key: 'failureReason', label: 'Failure', width: 150, value: 'o.failureReason || ""' },
            { key: 'totalCents', label: 'Total (minor units)', type: 'number', width: 140 },
            { key: 'currency', label: 'Currency', width: 90 },
            { key: 'lines', label: 'Lines', type: 'number', width: 70, value: 'o.items.length' },
            { key: 'createdAt', label: 'Created', width: 200 },
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
      { top: 23, left: 39, height: 10, width: 25 },
      js(
        `${order}?.id ? ['Status: ' + ${order}.status + (${order}.failureReason ? ' (' + ${order}.failureReason + ')' : ''), ` +
          `'Total: ' + ${order}.totalCents + ' ' + ${order}.currency + ' (minor units)', ` +
          `'Created: ' + ${order}.createdAt, 'Updated: ' + ${order}.updatedAt].join('\\n') : ''`,
      ),
      { size: 'small' },
    ),
    table(
      'OrderLinesTable',
      { top: 34, left: 39, height: 51, width: 25 },
      {
        label: 'Lines',
        data: js(`${order}?.items || []`),
        columns: [
          { key: 'productId', label: 'Product id', hidden: true },
          { key: 'sku', label: 'SKU', width: 120 },
          { key: 'name', label: 'Name', width: 200 },
          { key: 'unitPriceCents', label: 'Unit price (minor units)', type: 'number', width: 150 },
          { key: 'quantity', label: 'Quantity', type: 'number', width: 90 },
        ],
      },
    ),
  ],
};
