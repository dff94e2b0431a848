import { describe, expect, it } from 'vitest';
import { codeNode } from '../src/testing/code-node';

/** The automation flows, each with the node that renders its mails. */
const flows = [
  { flow: 'order-notifications-v1.json', renderer: 'Render emails' },
  { flow: 'stock-alerts-v1.json', renderer: 'Render alerts' },
];

describe.each(flows)('$flow: Answer per event', ({ flow, renderer }) => {
  const answer = codeNode(flow, 'Answer per event');

  it('answers applied for each mail sent, failed for one the server refused, and remembers the sent ones', async () => {
    const staticData: Record<string, unknown> = {};
    const rendered = [
      { json: { send: true, eventId: 'e1', skipped: [{ id: 'e0', status: 'stale' }] } },
      { json: { send: true, eventId: 'e2', skipped: [{ id: 'e0', status: 'stale' }] } },
    ];
    const [output] = await answer({
      input: [
        { json: { accepted: ['siti@example.com'] } },
        { json: { error: { message: 'connection refused' } } },
      ],
      nodes: {
        'Verify signature': [
          { json: { ok: true, invalid: [{ id: 'bad', status: 'failed', error: 'not an event' }] } },
        ],
        [renderer]: rendered,
      },
      staticData,
    });
    expect(output!.json.results).toEqual([
      { id: 'bad', status: 'failed', error: 'not an event' },
      { id: 'e0', status: 'stale' },
      { id: 'e1', status: 'applied' },
      { id: 'e2', status: 'failed', error: 'connection refused' },
    ]);
    expect(Object.keys(staticData.handled as object)).toEqual(['e1']);
  });

  it('answers from the renderer alone when there was nothing to send, and forgets events older than a week', async () => {
    const staticData = { handled: { old: Date.now() - 8 * 24 * 3600_000, recent: Date.now() } };
    const skipped = [{ id: 'recent', status: 'stale' }];
    const [output] = await answer({
      input: [{ json: { send: false, skipped } }],
      nodes: {
        'Verify signature': [{ json: { ok: true, invalid: [] } }],
        [renderer]: [{ json: { send: false, skipped } }],
      },
      staticData,
    });
    expect(output!.json.results).toEqual([{ id: 'recent', status: 'stale' }]);
    expect(Object.keys(staticData.handled)).toEqual(['recent']);
  });
});
