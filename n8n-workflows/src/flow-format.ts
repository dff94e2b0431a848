import { metaOfFile, type FlowFile, type FlowNode } from './flows';

/**
 * How a flow is kept in git: only what an engineer edits, in one order, so that a diff shows
 * exactly their change. An export of n8n (its public API or `n8n export:workflow`) holds more:
 * what n8n stamps on every save (versionId, activeVersionId, versionCounter, createdAt,
 * updatedAt, triggerCount), where this n8n keeps it (shared projects, parentFolder, tags with
 * their ids and dates, isArchived), test data and run state (pinData, staticData) and
 * meta.instanceId. None of it is kept. `meta` comes from the file name (metaOfFile), and a node's
 * credential is kept by type and name only: its id is this n8n's, and its secret never leaves n8n.
 *
 * Order: the workflow's keys as below, a node's identity first (id, name, type, typeVersion,
 * position) and the rest of it sorted; every other object's keys sorted (n8n does not care about
 * the order of parameters, and its editor does not keep one). Arrays keep their order: nodes as
 * n8n lists them, connections as drawn.
 */
export function normaliseWorkflow(file: string, workflow: Record<string, unknown>): FlowFile {
  const meta = metaOfFile(file);
  if (!meta) throw new Error(`${file}: the file name must be <flow>-v<N>.json`);
  const nodes = Array.isArray(workflow.nodes) ? (workflow.nodes as FlowNode[]) : [];
  return {
    id: String(workflow.id),
    name: String(workflow.name),
    meta,
    settings: sortKeys(workflow.settings ?? {}) as Record<string, unknown>,
    nodes: nodes.map(normaliseNode),
    connections: sortKeys(workflow.connections ?? {}) as Record<string, unknown>,
  };
}

const nodeIdentity = ['id', 'name', 'type', 'typeVersion', 'position'] as const;

function normaliseNode(node: FlowNode): FlowNode {
  const out: Record<string, unknown> = {};
  for (const key of nodeIdentity) if (node[key] !== undefined) out[key] = node[key];
  for (const key of Object.keys(node).sort()) {
    if ((nodeIdentity as readonly string[]).includes(key) || node[key] === undefined) continue;
    out[key] = key === 'credentials' ? credentialNames(node[key]) : sortKeys(node[key]);
  }
  return out as FlowNode;
}

/** `{httpHeaderAuth: {id, name}}` → `{httpHeaderAuth: {name}}`: n8n finds it by type and name. */
function credentialNames(credentials: unknown): Record<string, { name: unknown }> {
  const entries = Object.entries((credentials ?? {}) as Record<string, { name?: unknown }>);
  return Object.fromEntries(
    entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, value]) => [type, { name: value?.name }]),
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The text of a flow file: two-space JSON and a final newline. */
export function serialiseFlow(workflow: FlowFile): string {
  return `${JSON.stringify(workflow, null, 2)}\n`;
}
