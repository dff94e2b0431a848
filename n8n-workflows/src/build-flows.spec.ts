import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildFlows } from './build-flows';
import { outlineModules } from './code-files';
import { diskTree, memoryTree } from './flow-tree';
import { flowsDir, type FlowFile } from './flows';

const disk = diskTree(flowsDir);

/** A flow file with a Webhook node and these Code nodes (no code in it: the build puts it there). */
const flowText = (codeNodes: string[]) =>
  JSON.stringify({
    id: 'lpkShopAlertsNV1',
    name: 'shop-alerts v1',
    nodes: [
      { name: 'Hook', type: 'n8n-nodes-base.webhook', parameters: { path: 'shop-alerts-v1' } },
      ...codeNodes.map((name) => ({ name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: {} })),
    ],
    connections: {},
    settings: {},
    meta: { lapakFlow: 'shop-alerts', lapakVersion: 'v1', webhookPath: 'shop-alerts-v1' },
  });

describe('n8n:build', () => {
  it('leaves the committed flows as they are: they are what the build makes of their files', () => {
    const { changes } = buildFlows(disk);
    expect([...changes.keys()], 'run pnpm n8n:build and commit the result').toEqual([]);
  });

  it("inlines the worker's Standard Webhooks module into Verify signature, verbatim", () => {
    const flow = JSON.parse(disk.read('catalog-sync-v1.json')!) as FlowFile;
    const jsCode = String(flow.nodes.find((node) => node.name === 'Verify signature')!.parameters.jsCode);
    const module = readFileSync(
      new URL('../../worker/src/sync/standard-webhooks.cjs', import.meta.url),
      'utf8',
    );
    expect(jsCode).toContain(module.trimEnd());
    expect(jsCode).not.toMatch(/require\('\.{1,2}\//);
    expect(outlineModules(disk, 'catalog-sync-v1/verify-signature.js', jsCode)).toBe(
      disk.read('catalog-sync-v1/verify-signature.js'),
    );
  });

  it('puts each Code node file into its node, by the kebab-case of the node name', () => {
    const tree = memoryTree({
      'shop-alerts-v1.json': flowText(['Format the mail', 'Low stock?']),
      'shop-alerts-v1/format-the-mail.js': 'return [{ json: { text: 1 } }];\n',
      'shop-alerts-v1/low-stock.js': 'return $input.all();\n',
    });
    const { changes, flows } = buildFlows(tree);
    expect([...changes.keys()]).toEqual(['shop-alerts-v1.json']);
    expect(flows[0]!.workflow.nodes.map((node) => node.parameters.jsCode)).toEqual([
      undefined,
      'return [{ json: { text: 1 } }];\n',
      'return $input.all();\n',
    ]);
    expect(
      buildFlows(memoryTree(Object.fromEntries(changes) as Record<string, string>, tree)).changes.size,
    ).toBe(0);
  });

  it('refuses a Code node without its file, a file no node uses, and two nodes sharing a file', () => {
    const code = 'return [];\n';
    expect(() => buildFlows(memoryTree({ 'shop-alerts-v1.json': flowText(['Format']) }))).toThrow(
      /Code node "Format" has no file shop-alerts-v1\/format\.js/,
    );
    expect(() =>
      buildFlows(
        memoryTree({
          'shop-alerts-v1.json': flowText(['Format']),
          'shop-alerts-v1/format.js': code,
          'shop-alerts-v1/old-name.js': code,
        }),
      ),
    ).toThrow(/no Code node uses shop-alerts-v1\/old-name\.js/);
    expect(() =>
      buildFlows(
        memoryTree({
          'shop-alerts-v1.json': flowText(['Format!', 'format']),
          'shop-alerts-v1/format.js': code,
        }),
      ),
    ).toThrow(/two Code nodes would share shop-alerts-v1\/format\.js/);
  });

  it('inlines only modules that themselves require built-ins only, and says which file is missing', () => {
    const flow = flowText(['Format']);
    expect(() =>
      buildFlows(
        memoryTree({ 'shop-alerts-v1.json': flow, 'shop-alerts-v1/format.js': "require('./lib.cjs');\n" }),
      ),
    ).toThrow(/requires \.\/lib\.cjs, but there is no shop-alerts-v1\/lib\.cjs/);
    expect(() =>
      buildFlows(
        memoryTree({
          'shop-alerts-v1.json': flow,
          'shop-alerts-v1/format.js': "require('../lib/a.cjs');\n",
          'lib/a.cjs': "module.exports = require('./b.cjs');\n",
        }),
      ),
    ).toThrow(/lib\/a\.cjs: a module inlined into a Code node may require Node's built-ins only/);
  });
});
