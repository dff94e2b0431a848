import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFlow, flowFilesOf } from './build-flows';
import { codeDirOf, codeFileOf, isJsCodeNode, outlineModules } from './code-files';
import { normaliseWorkflow, serialiseFlow } from './flow-format';
import { withChanges, type FileChanges, type FlowTree } from './flow-tree';
import { checkFlow, flowsDir, type FlowFile } from './flows';
import { N8nApi, runN8nCli } from './deploy-flows';

/** A workflow as n8n exports it (its public API or `n8n export:workflow`). */
export type N8nWorkflow = Record<string, unknown>;

/** Formats a Code node's file; Prettier with the repository's settings by default. */
export type FormatCode = (path: string, code: string) => Promise<string>;

export interface PullPlan {
  changes: FileChanges;
  /** One line per flow: unchanged, the files that change, or not in n8n. */
  report: string[];
}

/**
 * What `n8n:pull` writes for the workflows n8n holds: for each flow file of the tree, the
 * workflow with its id, normalised (flow-format.ts); each JavaScript Code node's body goes to its
 * file (the inlined shared modules turned back into their `require`, then formatted), and the
 * flow file is what `n8n:build` makes of that, so the tree is built when the pull is done. A
 * Code node file no node uses any more is deleted (a renamed node moves to its new name). Only
 * the flows the tree has are pulled: a new flow version starts as a file (docs/sync.md).
 * Deploying a tree and pulling it changes nothing (the e2e test e2e/n8n-flows.e2e.test.ts).
 */
export async function planPull(
  tree: FlowTree,
  remote: Map<string, N8nWorkflow>,
  format: FormatCode = formatWithPrettier,
): Promise<PullPlan> {
  const changes: FileChanges = new Map();
  const report: string[] = [];
  for (const file of flowFilesOf(tree)) {
    const local = JSON.parse(tree.read(file)!) as FlowFile;
    const label = `${local.name} (${local.id})`;
    const workflow = remote.get(local.id);
    if (!workflow) {
      report.push(`${label}: not in n8n, left as it is`);
      continue;
    }
    const pulled = normaliseWorkflow(file, workflow);
    const mine: FileChanges = new Map();
    const used = new Set<string>();
    for (const node of pulled.nodes.filter(isJsCodeNode)) {
      const path = codeFileOf(file, node.name);
      used.add(path);
      const code = outlineModules(tree, path, String(node.parameters.jsCode ?? ''));
      const text = await format(path, code);
      if (tree.read(path) !== text) mine.set(path, text);
    }
    const dir = codeDirOf(file);
    for (const name of tree.list(dir)) {
      if (name.endsWith('.js') && !used.has(`${dir}/${name}`)) mine.set(`${dir}/${name}`, null);
    }
    const built = checkFlow(file, buildFlow(withChanges(tree, mine), file, pulled));
    const text = serialiseFlow(built.workflow);
    if (text !== tree.read(file)) mine.set(file, text);
    for (const [path, value] of mine) changes.set(path, value);
    report.push(
      mine.size
        ? `${label}: ${[...mine].map(([path, value]) => (value === null ? `${path} (deleted)` : path)).join(', ')}`
        : `${label}: unchanged`,
    );
  }
  return { changes, report };
}

/**
 * Prettier with the repository's settings, so a pulled file passes `prettier --check`. Code that
 * does not parse is kept as n8n has it (ESLint and the tests will say what is wrong with it).
 */
export async function formatWithPrettier(path: string, code: string): Promise<string> {
  const prettier = await import('prettier');
  const filepath = join(flowsDir, path);
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  try {
    return await prettier.format(code, { ...options, filepath });
  } catch {
    return code.endsWith('\n') ? code : `${code}\n`;
  }
}

export interface FetchOptions {
  /** The workflow ids wanted. */
  ids: string[];
  /** The n8n CLI entry (…/node_modules/n8n/bin/n8n), run with this process's Node. */
  n8nCli: string;
  /** Environment of the n8n CLI: the database settings of the n8n that holds the flows. */
  env: NodeJS.ProcessEnv;
  /** With both, read from the running n8n's public API; else with `n8n export:workflow`. */
  n8nUrl?: string;
  apiKey?: string;
}

/** The workflows n8n holds under these ids (as last saved in its editor, published or not). */
export async function fetchWorkflows(options: FetchOptions): Promise<Map<string, N8nWorkflow>> {
  const found = new Map<string, N8nWorkflow>();
  if (options.n8nUrl && options.apiKey) {
    const api = new N8nApi(options.n8nUrl, options.apiKey);
    for (const id of options.ids) {
      const { status, body } = await api.request<N8nWorkflow>(
        'GET',
        `/workflows/${encodeURIComponent(id)}?excludePinnedData=true`,
      );
      if (status !== 404) found.set(id, body);
    }
    return found;
  }
  const dir = await mkdtemp(join(tmpdir(), 'lapak-pull-'));
  try {
    try {
      await runN8nCli(
        options.n8nCli,
        ['export:workflow', '--all', '--separate', `--output=${dir}`],
        options.env,
      );
    } catch (error) {
      if (/No workflows found/.test((error as Error).message)) return found;
      throw error;
    }
    for (const id of options.ids) {
      const text = await readFile(join(dir, `${id}.json`), 'utf8').catch(() => null);
      if (text !== null) found.set(id, JSON.parse(text) as N8nWorkflow);
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
