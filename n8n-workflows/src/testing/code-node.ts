import { createRequire } from 'node:module';
import { buildFlow } from '../build-flows';
import { isJsCodeNode } from '../code-files';
import { diskTree } from '../flow-tree';
import { flowsDir, type FlowFile } from '../flows';

/** An n8n item: its JSON and, for a webhook's raw body, binary data (base64). */
export interface Item {
  json: Record<string, any>;
  binary?: Record<string, { data: string; mimeType?: string }>;
}

export interface CodeNodeContext {
  /** The node's input items (`$input`). */
  input?: Item[];
  /** The output of nodes that ran before, by name (`$('Name')`). */
  nodes?: Record<string, Item[]>;
  /** n8n's environment (`$env`). */
  env?: Record<string, string | undefined>;
  /**
   * The workflow's static data (`$getWorkflowStaticData('global')`), changed in place as n8n
   * changes it; n8n keeps it with the workflow after a production execution.
   */
  staticData?: Record<string, unknown>;
}

/** Node's built-ins a Code node may require: what n8n is given (NODE_FUNCTION_ALLOW_BUILTIN). */
const allowedBuiltins = ['crypto'];

type Body = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Body;
const nodeRequire = createRequire(import.meta.url);

/** What n8n passes between nodes: JSON (its task runner serialises every item). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const itemsOf = (items: Item[]) => ({
  all: () => copy(items),
  first: () => copy(items[0]),
  last: () => copy(items.at(-1)),
});

/**
 * A Code node of a flow as n8n runs it, for unit tests: the node's `jsCode` as `pnpm n8n:build`
 * makes it from the node's file (the modules it requires inlined), run as the body of an async
 * function with n8n's globals (`$input`, `$('Node')`, `$env`, `$getWorkflowStaticData`, `require`
 * of the allowed built-ins,
 * in "run once for all items" mode). Items go in and come out as JSON, as through n8n's task
 * runner. Returns the node's output items.
 */
export function codeNode(flowFile: string, nodeName: string): (context?: CodeNodeContext) => Promise<Item[]> {
  const tree = diskTree(flowsDir);
  const flow = buildFlow(tree, flowFile, JSON.parse(tree.read(flowFile)!) as FlowFile);
  const node = flow.nodes.find((candidate) => candidate.name === nodeName && isJsCodeNode(candidate));
  if (!node) throw new Error(`${flowFile} has no JavaScript Code node "${nodeName}"`);
  const body = new AsyncFunction(
    '$input',
    '$',
    '$env',
    '$getWorkflowStaticData',
    'require',
    String(node.parameters.jsCode),
  );
  const require = (name: string) => {
    if (!allowedBuiltins.includes(name.replace(/^node:/, ''))) {
      throw new Error(
        `Cannot find module '${name}' (n8n lets a Code node require ${allowedBuiltins.join(', ')})`,
      );
    }
    return nodeRequire(name);
  };
  return async (context = {}) => {
    const $ = (name: string) => {
      const items = context.nodes?.[name];
      if (!items) throw new Error(`Node "${name}" has not run (give its output in nodes)`);
      return itemsOf(items);
    };
    const staticData = context.staticData ?? {};
    const output = await body(itemsOf(context.input ?? []), $, { ...context.env }, () => staticData, require);
    return copy(output as Item[]);
  };
}

/**
 * What a Set node of a flow outputs (its string fields, as the shop owner's templates are): one
 * item with each field's value.
 */
export function setNodeOutput(flowFile: string, nodeName: string): Item {
  const flow = JSON.parse(diskTree(flowsDir).read(flowFile)!) as FlowFile;
  const node = flow.nodes.find((candidate) => candidate.name === nodeName);
  const fields = (
    node?.parameters.assignments as { assignments: { name: string; value: string }[] } | undefined
  )?.assignments;
  if (!fields) throw new Error(`${flowFile} has no Set node "${nodeName}"`);
  return { json: Object.fromEntries(fields.map((field) => [field.name, field.value])) };
}
