import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of versioned flow exports (one `<flow>-v<N>.json` per version). */
export const flowsDir = fileURLToPath(new URL('..', import.meta.url));

export interface FlowNode {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  [key: string]: unknown;
}

/** An n8n workflow export as this folder keeps it. */
export interface FlowFile {
  id: string;
  name: string;
  nodes: FlowNode[];
  connections: Record<string, unknown>;
  settings: Record<string, unknown>;
  meta: { lapakFlow: string; lapakVersion: string; webhookPath: string };
}

export interface Flow {
  file: string;
  workflow: FlowFile;
  /** e.g. `catalog-sync` */
  flow: string;
  /** e.g. `v1` */
  version: string;
  /** The webhook path: `/webhook/<path>`. */
  webhookPath: string;
}

/**
 * The `meta` a flow file must carry, from its name `<flow>-v<N>.json` (null for another name):
 * the flow, its version and its webhook path. Only the file name decides them, so a flow pulled
 * from n8n keeps them whatever n8n did to `meta`.
 */
export function metaOfFile(file: string): FlowFile['meta'] | null {
  const match = /^([a-z0-9-]+)-(v\d+)\.json$/.exec(file);
  if (!match) return null;
  const [, lapakFlow = '', lapakVersion = ''] = match;
  return { lapakFlow, lapakVersion, webhookPath: `${lapakFlow}-${lapakVersion}` };
}

/** The webhook path of a flow version; the dispatcher posts to it. */
export const catalogSyncPath = (version: string) => `catalog-sync-${version}`;

/**
 * Reads and checks one export: the file name, `meta`, the Webhook node's path and the workflow
 * id must all carry the same version, so two versions can be published side by side.
 */
export function checkFlow(file: string, workflow: FlowFile): Flow {
  const problems: string[] = [];
  const named = metaOfFile(file);
  if (!named) problems.push('the file name must be <flow>-v<N>.json');
  const { lapakFlow: flow = '', lapakVersion: version = '' } = named ?? {};
  if (!/^[A-Za-z0-9]{16}$/.test(workflow.id ?? '')) problems.push('id must be 16 letters or digits');
  if (!workflow.id?.toLowerCase().endsWith(version.toLowerCase()))
    problems.push(`id ${workflow.id} must end with the version ${version}`);
  if (workflow.meta?.lapakFlow !== flow) problems.push(`meta.lapakFlow must be ${flow}`);
  if (workflow.meta?.lapakVersion !== version) problems.push(`meta.lapakVersion must be ${version}`);
  const webhookPath = `${flow}-${version}`;
  if (workflow.meta?.webhookPath !== webhookPath) problems.push(`meta.webhookPath must be ${webhookPath}`);
  const hooks = (workflow.nodes ?? []).filter((node) => node.type === 'n8n-nodes-base.webhook');
  if (hooks.length !== 1 || hooks[0]?.parameters.path !== webhookPath)
    problems.push(`exactly one Webhook node, with path ${webhookPath}`);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return { file, workflow, flow, version, webhookPath };
}

/** Every flow export in the folder, checked, in file name order. */
export async function loadFlows(dir = flowsDir): Promise<Flow[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const flows: Flow[] = [];
  for (const file of files) {
    const workflow = JSON.parse(await readFile(join(dir, file), 'utf8')) as FlowFile;
    flows.push(checkFlow(file, workflow));
  }
  const ids = new Set(flows.map((flow) => flow.workflow.id));
  if (ids.size !== flows.length) throw new Error('two flow files share a workflow id');
  return flows;
}

/**
 * The environment variables a flow reads with `$env` (`$env.NAME` or `$env['NAME']`, in an
 * expression or a Code node): what n8n must be given for it, and all it needs to be given.
 */
export function envReadBy(workflow: Pick<FlowFile, 'nodes'>): string[] {
  const text = JSON.stringify(workflow.nodes);
  const names = [...text.matchAll(/\$env(?:\.([A-Za-z_]\w*)|\[\\?['"]([A-Za-z_]\w*)\\?['"]\])/g)].map(
    (match) => (match[1] ?? match[2])!,
  );
  return [...new Set(names)].sort();
}
