import type { PageDefinition } from '../application-export';
import { js, runQuery } from '../triggers';
import { button, table, text } from '../widgets';

/** The catalog sync to Directus: outbox backlog, recent deliveries, dead-lettered events to replay. */
export const syncHealthPage: PageDefinition = {
  name: 'Sync health',
  slug: 'sync-health',
  queries: [
    { name: 'syncStats', method: 'GET', path: '/admin/sync/stats', onLoad: true },
    {
      name: 'listDeliveries',
      method: 'GET',
      path: '/admin/sync/deliveries',
      params: { limit: '50' },
      onLoad: true,
    },
    {
      name: 'listDeadLetters',
      method: 'GET',
      path: '/admin/sync/dead-letters',
      params: { limit: '50' },
      onLoad: true,
    },
    {
      name: 'replayDeadLetter',
      method: 'POST',
      path: '/admin/sync/dead-letters/{{DeadLettersTable.triggeredRow.id}}/replay',
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
        onClick: js('Promise.all([syncStats.run(), listDeliveries.run(), listDeadLetters.run()])'),
      },
    ),
    text(
      'SyncStats',
      { top: 6, left: 0, height: 12, width: 64 },
      js(
        "Object.entries(syncStats.data || {}).map(([name, value]) => name + ': ' + " +
          "(value !== null && typeof value === 'object' ? JSON.stringify(value) : value)).join('\\n')",
      ),
    ),
    text('DeadLettersTitle', { top: 19, left: 0, height: 4, width: 40 }, 'Dead-lettered events', {
      bold: true,
    }),
    table(
      'DeadLettersTable',
      { top: 23, left: 0, height: 30, width: 64 },
      {
        label: 'Dead letters',
        data: js(
          '(listDeadLetters.data?.items || []).map((d) => ({ id: d.id, eventId: d.eventId, type: d.type, ' +
            'aggregateId: d.aggregateId, attempts: d.attempts, lastError: d.lastError, deadAt: d.deadAt, replay: "" }))',
        ),
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'eventId', label: 'Event', width: 280 },
          { key: 'type', label: 'Type', width: 160 },
          { key: 'aggregateId', label: 'Product / category', width: 280 },
          { key: 'attempts', label: 'Attempts', type: 'number', width: 90 },
          { key: 'lastError', label: 'Last error', width: 300 },
          { key: 'deadAt', label: 'Dead since', width: 200 },
          {
            key: 'replay',
            label: 'Replay',
            width: 100,
            button: {
              label: 'Replay',
              onClick: runQuery('replayDeadLetter', {
                success: 'Event queued for delivery again',
                failure: 'Could not replay the event',
                reload: ['listDeadLetters', 'syncStats'],
              }),
            },
          },
        ],
      },
    ),
    text('DeliveriesTitle', { top: 54, left: 0, height: 4, width: 40 }, 'Recent deliveries', { bold: true }),
    table(
      'DeliveriesTable',
      { top: 58, left: 0, height: 40, width: 64 },
      {
        label: 'Deliveries',
        data: js(
          '(listDeliveries.data?.items || []).map((d) => ({ id: d.id, flowVersion: d.flowVersion, ' +
            'events: d.events, result: d.result, status: d.status, error: d.error, durationMs: d.durationMs, at: d.at }))',
        ),
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'flowVersion', label: 'Flow', width: 90 },
          { key: 'events', label: 'Events', type: 'number', width: 90 },
          { key: 'result', label: 'Result', width: 120 },
          { key: 'status', label: 'HTTP status', width: 100 },
          { key: 'error', label: 'Error', width: 300 },
          { key: 'durationMs', label: 'Duration (ms)', type: 'number', width: 120 },
          { key: 'at', label: 'At', width: 200 },
        ],
      },
    ),
  ],
};
