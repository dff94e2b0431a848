import { codeDirOf, codeFileOf, inlineModules, isJsCodeNode } from './code-files';
import { normaliseWorkflow, serialiseFlow } from './flow-format';
import type { FileChanges, FlowTree } from './flow-tree';
import { checkFlow, type Flow, type FlowFile } from './flows';

/** The flow files of a tree: `<flow>-v<N>.json` in the flows folder. */
export const flowFilesOf = (tree: FlowTree) => tree.list('').filter((name) => name.endsWith('.json'));

/**
 * One flow as `n8n:build` makes it: normalised (flow-format.ts), each JavaScript Code node's
 * `jsCode` taken from its file with the modules it requires inlined (code-files.ts). Refuses a
 * Code node without a file, two nodes sharing one, and a `.js` file of the flow's folder that no
 * node uses (a renamed node leaves one behind).
 */
export function buildFlow(tree: FlowTree, file: string, workflow: FlowFile): FlowFile {
  const built = normaliseWorkflow(file, workflow as unknown as Record<string, unknown>);
  const used = new Set<string>();
  for (const node of built.nodes.filter(isJsCodeNode)) {
    const path = codeFileOf(file, node.name);
    if (used.has(path)) throw new Error(`${file}: two Code nodes would share ${path}; rename one`);
    used.add(path);
    const source = tree.read(path);
    if (source === undefined) throw new Error(`${file}: Code node "${node.name}" has no file ${path}`);
    node.parameters = { ...node.parameters, jsCode: inlineModules(tree, path, source) };
  }
  const dir = codeDirOf(file);
  const unused = tree
    .list(dir)
    .filter((name) => name.endsWith('.js') && !used.has(`${dir}/${name}`))
    .map((name) => `${dir}/${name}`);
  if (unused.length) throw new Error(`${file}: no Code node uses ${unused.join(', ')} (delete or rename it)`);
  return built;
}

export interface BuildResult {
  /** The flow files whose text the build changes (empty when the tree is built). */
  changes: FileChanges;
  /** Every flow, as built. */
  flows: Flow[];
}

/** Builds every flow of the tree; returns what would change, writing nothing. */
export function buildFlows(tree: FlowTree): BuildResult {
  const changes: FileChanges = new Map();
  const flows: Flow[] = [];
  for (const file of flowFilesOf(tree)) {
    const text = tree.read(file)!;
    const flow = checkFlow(file, buildFlow(tree, file, JSON.parse(text) as FlowFile));
    const built = serialiseFlow(flow.workflow);
    if (built !== text) changes.set(file, built);
    flows.push(flow);
  }
  return { changes, flows };
}
