import { describe, expect, it } from 'vitest';
import { normaliseWorkflow, serialiseFlow } from './flow-format';

/** A workflow as n8n's public API answers it: what git keeps, and what n8n adds. */
const exported = {
  updatedAt: '2026-03-01T10:00:00.000Z',
  createdAt: '2026-03-01T09:00:00.000Z',
  id: 'lpkOrderMailsXV1',
  name: 'order-mails v1',
  active: true,
  isArchived: false,
  versionId: '0e1f…',
  activeVersionId: '0e1f…',
  versionCounter: 7,
  triggerCount: 1,
  staticData: { lastId: 3 },
  pinData: { Webhook: [{ json: { test: true } }] },
  tags: [{ id: 't1', name: 'shop', createdAt: '…', updatedAt: '…' }],
  shared: [{ projectId: 'p1', role: 'workflow:owner' }],
  meta: { instanceId: 'abc123', templateCredsSetupCompleted: true },
  settings: { timezone: 'Asia/Jakarta', executionOrder: 'v1' },
  connections: {
    Webhook: { main: [[{ type: 'main', node: 'Mail', index: 0 }]] },
    Format: { main: [[{ node: 'Mail', index: 0, type: 'main' }]] },
  },
  nodes: [
    {
      parameters: { path: 'order-mails-v1', httpMethod: 'POST', options: { rawBody: true } },
      webhookId: 'a7f0c1d2-…',
      typeVersion: 2.1,
      type: 'n8n-nodes-base.webhook',
      position: [0, 300],
      name: 'Webhook',
      id: 'n1',
    },
    {
      credentials: { smtp: { id: 'Xy12', name: 'Shop mail' } },
      id: 'n2',
      name: 'Mail',
      position: [440, 300],
      type: 'n8n-nodes-base.emailSend',
      typeVersion: 2.1,
      parameters: { toEmail: '={{ $json.to }}', fromEmail: 'shop@example.com' },
      notes: 'to the shopper',
    },
  ],
};

/** The same value with every object's keys in reverse order. */
const reversed = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversed)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([key, inner]) => [key, reversed(inner)]),
        )
      : value;

describe('normaliseWorkflow', () => {
  const flow = normaliseWorkflow('order-mails-v1.json', exported);

  it('keeps what an engineer edits, and nothing n8n stamps, stores elsewhere or runs on', () => {
    expect(Object.keys(flow)).toEqual(['id', 'name', 'meta', 'settings', 'nodes', 'connections']);
    const text = serialiseFlow(flow);
    for (const volatile of [
      'updatedAt',
      'versionId',
      'versionCounter',
      'instanceId',
      'pinData',
      'staticData',
    ]) {
      expect(text).not.toContain(volatile);
    }
    expect(text).not.toContain('Xy12');
  });

  it('takes meta from the file name, whatever n8n holds in it', () => {
    expect(flow.meta).toEqual({
      lapakFlow: 'order-mails',
      lapakVersion: 'v1',
      webhookPath: 'order-mails-v1',
    });
    expect(() => normaliseWorkflow('order-mails.json', exported)).toThrow(/<flow>-v<N>\.json/);
  });

  it("orders a node's identity first and every other key alphabetically", () => {
    expect(Object.keys(flow.nodes[1]!)).toEqual([
      'id',
      'name',
      'type',
      'typeVersion',
      'position',
      'credentials',
      'notes',
      'parameters',
    ]);
    expect(flow.nodes[1]!.credentials).toEqual({ smtp: { name: 'Shop mail' } });
    expect(Object.keys(flow.nodes[0]!.parameters)).toEqual(['httpMethod', 'options', 'path']);
    expect(Object.keys(flow.connections)).toEqual(['Format', 'Webhook']);
    expect(flow.connections.Webhook).toEqual({ main: [[{ index: 0, node: 'Mail', type: 'main' }]] });
  });

  it('is stable: the same flow in any key order gives the same text, and normalising again changes nothing', () => {
    const shuffled = reversed(exported) as Record<string, unknown>;
    const text = serialiseFlow(flow);
    expect(serialiseFlow(normaliseWorkflow('order-mails-v1.json', shuffled))).toBe(text);
    expect(serialiseFlow(normaliseWorkflow('order-mails-v1.json', JSON.parse(text)))).toBe(text);
  });
});
