import { syncDeliveryStatuses } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { pagedListTable, statusFilter } from '../page-sections';
import { cursorPager, js, runQuery } from '../triggers';
import { button, text } from '../widgets';

const deadLetters = cursorPager('listDeadLetters', 'deadLettersCursor');
const deliveries = cursorPager('listDeliveries', 'deliveriesCursor');
const stats = 'syncStats.data';
const deliveryStatuses = syncDeliveryStatuses;

/** The catalog sync to Directus: outbox backlog, dead-lettered events to replay, recent deliveries. */
export const syncHealthPage: PageDefinition = {
  name: 'Sync health',
  slug: 'sync-health',
  queries: [
    { name: 'syncStats', method: 'GET', path: '/admin/sync/stats', onLoad: true },
    {
      name: 'listDeadLetters',
      method: 'GET',
      path: '/admin/sync/dead-letters',
      params: { cursor: deadLetters.cursorParam, limit: '25' },
      onLoad: true,
    },
    {
      name: 'replayDeadLetter',
      method: 'POST',
      path: '/admin/sync/dead-letters/{{DeadLettersTable.triggeredRow.eventId}}/replay',
    },
    {
      name: 'listDeliveries',
      method: 'GET',
      path: '/admin/sync/deliveries',
      params: {
        status: "{{DeliveryStatusFilter.selectedOptionValue || ''}}",
        cursor: deliveries.cursorParam,
        limit: '50',
      },
      onLoad: true,
    },
  ],
  widgets: [
    text('SyncTitle', { top: 0, left: 0, height: 5, width: 40 }, 'Sync health', { size: 'heading' }),
    button(
      'RefreshSync',
      { top: 1, left: 52, height: 4, width: 12 },
      {
        label: 'Refresh',
        variant: 'SECONDARY',
        onClick: js('Promise.all([syncStats.run(), listDeadLetters.run(), listDeliveries.run()])'),
      },
    ),
    text(
      'OutboxBacklog',
      { top: 6, left: 0, height: 5, width: 21 },
      js(
        `'Outbox backlog: ' + (${stats}?.outbox.backlog ?? '…') + ' (oldest ' + (${stats}?.outbox.oldestAgeSeconds ?? 0) + ' s)'`,
      ),
      { bold: true },
    ),
    text(
      'DeadLetterCount',
      { top: 6, left: 21, height: 5, width: 21 },
      js(`'Dead letters: ' + (${stats}?.deadLetters ?? '…')`),
      { bold: true },
    ),
    text(
      'LastSuccess',
      { top: 6, left: 42, height: 5, width: 22 },
      js(`'Last applied: ' + (${stats}?.lastSuccessAt ?? 'never')`),
      { bold: true },
    ),
    text(
      'DeliveriesLastHour',
      { top: 11, left: 0, height: 4, width: 64 },
      js(
        `'Deliveries in the last hour: ' + ${JSON.stringify(deliveryStatuses)}` +
          `.map((status) => status + ' ' + (${stats}?.deliveriesLastHour[status] ?? 0)).join(' · ')`,
      ),
    ),
    text('DeadLettersTitle', { top: 16, left: 0, height: 4, width: 40 }, 'Dead-lettered events', {
      bold: true,
    }),
    ...pagedListTable(
      'DeadLetters',
      deadLetters,
      { top: 16, height: 30 },
      {
        label: 'Dead letters',
        item: 'd',
        columns: [
          { key: 'eventId', label: 'Event', width: 280 },
          { key: 'type', label: 'Type', width: 150 },
          { key: 'aggregateId', label: 'Product / category', width: 280, value: 'd.aggregate.id' },
          { key: 'version', label: 'Version', type: 'number', width: 80, value: 'd.aggregate.version' },
          { key: 'attempts', label: 'Attempts', type: 'number', width: 90 },
          { key: 'lastError', label: 'Last error', width: 300, value: 'd.lastError || ""' },
          { key: 'deadAt', label: 'Dead since', width: 200 },
          { key: 'flowVersion', label: 'Flow', width: 70 },
          {
            key: 'replay',
            value: '""',
            label: 'Replay',
            width: 100,
            button: {
              label: 'Replay',
              onClick: runQuery('replayDeadLetter', {
                success: 'Event sent to the outbox again',
                failure: 'Could not replay the event',
                reload: ['listDeadLetters', 'syncStats'],
              }),
            },
          },
        ],
      },
    ),
    text('DeliveriesTitle', { top: 54, left: 0, height: 4, width: 20 }, 'Recent deliveries', { bold: true }),
    statusFilter(
      'DeliveryStatusFilter',
      { top: 52, left: 20, height: 7, width: 16 },
      deliveryStatuses,
      deliveries,
    ),
    ...pagedListTable(
      'Deliveries',
      deliveries,
      { top: 55, height: 45 },
      {
        label: 'Deliveries',
        item: 'd',
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'createdAt', label: 'At', width: 200 },
          { key: 'status', label: 'Status', width: 100 },
          {
            key: 'aggregate',
            label: 'Aggregate',
            width: 330,
            value: 'd.aggregate.type + " " + d.aggregate.id',
          },
          { key: 'version', label: 'Version', type: 'number', width: 80, value: 'd.aggregate.version' },
          { key: 'flowVersion', label: 'Flow', width: 70 },
          { key: 'attempt', label: 'Attempt', type: 'number', width: 80 },
          { key: 'httpStatus', label: 'HTTP', type: 'number', width: 70 },
          { key: 'latencyMs', label: 'Latency (ms)', type: 'number', width: 110 },
          { key: 'error', label: 'Error', width: 300, value: 'd.error || ""' },
          { key: 'eventId', label: 'Event', width: 280 },
          { key: 'requestId', label: 'Request id', hidden: true, value: 'd.requestId || ""' },
        ],
      },
    ),
  ],
};
