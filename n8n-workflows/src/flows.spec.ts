import { describe, expect, it } from 'vitest';
import { checkFlow, envReadBy, type FlowFile } from './flows';

const flow = (version: string, overrides: Partial<FlowFile> = {}): FlowFile => ({
  id: `lpkCatalogSync${version.toUpperCase()}`,
  name: `catalog-sync ${version}`,
  nodes: [
    {
      name: 'Catalog batch',
      type: 'n8n-nodes-base.webhook',
      parameters: { path: `catalog-sync-${version}` },
    },
    { name: 'Verify signature', type: 'n8n-nodes-base.code', parameters: {} },
  ],
  connections: {},
  settings: {},
  meta: { lapakFlow: 'catalog-sync', lapakVersion: version, webhookPath: `catalog-sync-${version}` },
  ...overrides,
});

describe('checkFlow', () => {
  it('accepts v1 and v2 of a flow side by side, each with its own webhook path', () => {
    const v1 = checkFlow('catalog-sync-v1.json', flow('v1'));
    const v2 = checkFlow('catalog-sync-v2.json', flow('v2'));
    expect([v1.version, v1.webhookPath]).toEqual(['v1', 'catalog-sync-v1']);
    expect([v2.version, v2.webhookPath]).toEqual(['v2', 'catalog-sync-v2']);
    expect(v1.workflow.id).not.toBe(v2.workflow.id);
  });

  it('refuses an export whose file name, id, meta or webhook path disagree on the version', () => {
    expect(() => checkFlow('catalog-sync.json', flow('v1'))).toThrow(/<flow>-v<N>\.json/);
    expect(() => checkFlow('catalog-sync-v2.json', flow('v1'))).toThrow(/must end with the version v2/);
    expect(() =>
      checkFlow(
        'catalog-sync-v2.json',
        flow('v2', {
          meta: { lapakFlow: 'catalog-sync', lapakVersion: 'v2', webhookPath: 'catalog-sync-v1' },
        }),
      ),
    ).toThrow(/meta\.webhookPath must be catalog-sync-v2/);
    const copied = flow('v2');
    copied.nodes[0]!.parameters.path = 'catalog-sync-v1';
    expect(() => checkFlow('catalog-sync-v2.json', copied)).toThrow(
      /Webhook node, with path catalog-sync-v2/,
    );
    expect(() => checkFlow('catalog-sync-v1.json', flow('v1', { id: 'short-v1' }))).toThrow(
      /16 letters or digits/,
    );
  });
});

describe('envReadBy', () => {
  it('finds the variables a flow reads with $env, in expressions and Code nodes', () => {
    const nodes = [
      { name: 'a', type: 'x', parameters: { url: '={{ $env.LAPAK_DIRECTUS_URL }}/graphql' } },
      { name: 'b', type: 'x', parameters: { jsCode: "const s = $env.LAPAK_WEBHOOK_SECRET; $env['OTHER'];" } },
      { name: 'c', type: 'x', parameters: { header: '=Bearer {{ $env.LAPAK_DIRECTUS_URL }}' } },
    ];
    expect(envReadBy({ nodes })).toEqual(['LAPAK_DIRECTUS_URL', 'LAPAK_WEBHOOK_SECRET', 'OTHER']);
  });
});
