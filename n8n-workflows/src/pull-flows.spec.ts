import { describe, expect, it } from 'vitest';
import { buildFlows } from './build-flows';
import { diskTree, memoryTree, withChanges, type FlowTree } from './flow-tree';
import { flowsDir, type FlowFile } from './flows';
import { planPull, type N8nWorkflow } from './pull-flows';

const disk = diskTree(flowsDir);
const committed = () => JSON.parse(disk.read('catalog-sync-v1.json')!) as FlowFile;

/** The flow as n8n exports it after a deploy: its own fields added, keys in its own order. */
function asN8nHoldsIt(flow: FlowFile): N8nWorkflow {
  return {
    updatedAt: '2026-03-01T10:00:00.000Z',
    createdAt: '2026-03-01T09:00:00.000Z',
    active: true,
    isArchived: false,
    versionId: '9a6f2c1e-5b7d-4e3a-8c9f-0d1e2f3a4b5c',
    activeVersionId: '9a6f2c1e-5b7d-4e3a-8c9f-0d1e2f3a4b5c',
    triggerCount: 1,
    pinData: {},
    staticData: null,
    tags: [],
    shared: [{ role: 'workflow:owner', projectId: 'Kq3uQ3VIW4gXt3Zk' }],
    ...flow,
    meta: { ...flow.meta, instanceId: '4f0c…' },
    nodes: flow.nodes.map(({ parameters, ...rest }) => ({ parameters, ...rest })),
  };
}

const byId = (workflow: N8nWorkflow) => new Map([[String(workflow.id), workflow]]);
const pull = (workflow: N8nWorkflow, tree: FlowTree = disk) =>
  planPull(tree, byId(workflow), async (_path, code) => (code.endsWith('\n') ? code : `${code}\n`));

/** The report's lines about catalog-sync v1 (the other flows of the folder are not in this n8n). */
const aboutV1 = (report: string[]) => report.filter((line) => line.startsWith('catalog-sync v1 '));

describe('n8n:pull', () => {
  it('changes nothing when n8n holds what was deployed', async () => {
    const { changes, report } = await pull(asN8nHoldsIt(committed()));
    expect([...changes.keys()]).toEqual([]);
    expect(aboutV1(report)).toEqual(['catalog-sync v1 (lpkCatalogSyncV1): unchanged']);
  });

  it("writes an edited Code node's body to its file and the flow, built as n8n:build makes it", async () => {
    const flow = committed();
    const node = flow.nodes.find((candidate) => candidate.name === 'Plan writes')!;
    const edit = (code: string) => code.replace("'the category read'", "'the read of categories'");
    node.parameters.jsCode = edit(String(node.parameters.jsCode));
    node.position = [900, 420];
    const { changes, report } = await pull(asN8nHoldsIt(flow));
    expect([...changes.keys()].sort()).toEqual(['catalog-sync-v1.json', 'catalog-sync-v1/plan-writes.js']);
    expect(changes.get('catalog-sync-v1/plan-writes.js')).toBe(
      edit(disk.read('catalog-sync-v1/plan-writes.js')!),
    );
    expect(aboutV1(report)).toEqual([
      'catalog-sync v1 (lpkCatalogSyncV1): catalog-sync-v1/plan-writes.js, catalog-sync-v1.json',
    ]);
    expect(buildFlows(withChanges(disk, changes)).changes.size).toBe(0);
  });

  it('moves a renamed Code node to the file of its new name', async () => {
    const flow = committed();
    flow.nodes.find((candidate) => candidate.name === 'First delivery')!.name = 'Not seen before';
    flow.connections = JSON.parse(
      JSON.stringify(flow.connections).replaceAll('"First delivery"', '"Not seen before"'),
    );
    const { changes } = await pull(asN8nHoldsIt(flow));
    expect(changes.get('catalog-sync-v1/first-delivery.js')).toBeNull();
    expect(changes.get('catalog-sync-v1/not-seen-before.js')).toBe(
      disk.read('catalog-sync-v1/first-delivery.js'),
    );
    expect(buildFlows(withChanges(disk, changes)).changes.size).toBe(0);
  });

  it('refuses a signature check edited in n8n: it is the worker module, changed in git', async () => {
    const flow = committed();
    const node = flow.nodes.find((candidate) => candidate.name === 'Verify signature')!;
    node.parameters.jsCode = String(node.parameters.jsCode).replace('5 * 60', '60 * 60');
    await expect(pull(asN8nHoldsIt(flow))).rejects.toThrow(
      /the copy of \.\.\/worker\/src\/sync\/standard-webhooks\.cjs inlined in this Code node differs/,
    );
  });

  it('leaves alone a flow n8n does not hold, and keeps meta from the file name', async () => {
    const { changes, report } = await planPull(disk, new Map());
    expect(changes.size).toBe(0);
    expect(aboutV1(report)).toEqual(['catalog-sync v1 (lpkCatalogSyncV1): not in n8n, left as it is']);
    const mangled = { ...asN8nHoldsIt(committed()), meta: { instanceId: 'x' } };
    expect((await pull(mangled)).changes.size).toBe(0);
  });

  it('formats the pulled code with Prettier, as the repository does', async () => {
    const tree = memoryTree({
      'shop-alerts-v1.json': JSON.stringify({
        id: 'lpkShopAlertsNV1',
        name: 'shop-alerts v1',
        nodes: [{ name: 'Hook', type: 'n8n-nodes-base.webhook', parameters: { path: 'shop-alerts-v1' } }],
        connections: {},
        settings: {},
        meta: { lapakFlow: 'shop-alerts', lapakVersion: 'v1', webhookPath: 'shop-alerts-v1' },
      }),
    });
    const edited = JSON.parse(tree.read('shop-alerts-v1.json')!) as FlowFile;
    edited.nodes.push({
      name: 'Format',
      type: 'n8n-nodes-base.code',
      parameters: { jsCode: 'const x = {a:1}\nreturn [{json: x}]' },
    });
    const { changes } = await planPull(tree, byId(edited as unknown as N8nWorkflow));
    expect(changes.get('shop-alerts-v1/format.js')).toBe('const x = { a: 1 };\nreturn [{ json: x }];\n');
  });
});
