import { posix } from 'node:path';
import type { FlowTree } from './flow-tree';
import type { FlowNode } from './flows';

/**
 * The JavaScript of a flow's Code nodes lives in files beside the flow, one per node:
 * `<flow>-v<N>/<node name in kebab case>.js` ("Plan the rest" → `plan-the-rest.js`). A file is
 * the node's body as n8n runs it (a function body: n8n's globals, a top-level `return`), and may
 * require a plain-JS module by a relative path, which `n8n:build` inlines: n8n lets a Code node
 * require Node's built-ins only. That is how the flow checks signatures with the worker's own
 * module (worker/src/sync/standard-webhooks.cjs).
 */

/** The Code nodes whose JavaScript lives in files (Python ones stay in the flow). */
export function isJsCodeNode(node: FlowNode): boolean {
  return node.type === 'n8n-nodes-base.code' && (node.parameters.language ?? 'javaScript') === 'javaScript';
}

/** `catalog-sync-v1.json` → `catalog-sync-v1` */
export const codeDirOf = (flowFile: string) => flowFile.replace(/\.json$/, '');

/** The file of a Code node, relative to the flows folder. */
export function codeFileOf(flowFile: string, nodeName: string): string {
  const base = nodeName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!base) throw new Error(`${flowFile}: Code node "${nodeName}" needs a name with letters or digits`);
  return `${codeDirOf(flowFile)}/${base}.js`;
}

const relativeRequire = /require\((['"])(\.{1,2}\/[^'"]+)\1\)/g;

/** Where a relative require of a file leads, relative to the flows folder. */
const resolveFrom = (file: string, spec: string) => posix.normalize(posix.join(posix.dirname(file), spec));

/**
 * The expression that replaces `require('<spec>')` in the flow: the module's text run in a
 * function that gives it `module` and `exports`, between markers that `outlineModules` finds.
 */
function inlined(spec: string, source: string): string {
  return [
    '(function () {',
    `  // n8n:build inlined ${spec} here, which the file of this Code node requires: edit it in git, not this copy.`,
    '  const module = { exports: {} };',
    '  const exports = module.exports;',
    source.trimEnd(),
    '  return module.exports;',
    `})() /* end of ${spec} */`,
  ].join('\n');
}

function moduleSource(tree: FlowTree, file: string, spec: string): string {
  const path = resolveFrom(file, spec);
  const source = tree.read(path);
  if (source === undefined) throw new Error(`${file}: requires ${spec}, but there is no ${path}`);
  if (new RegExp(relativeRequire.source).test(source)) {
    throw new Error(`${path}: a module inlined into a Code node may require Node's built-ins only`);
  }
  return source;
}

/** A Code node's file with each relative require replaced by the module it names. */
export function inlineModules(tree: FlowTree, file: string, source: string): string {
  return source.replace(relativeRequire, (_match, _quote, spec: string) =>
    inlined(spec, moduleSource(tree, file, spec)),
  );
}

/**
 * The inverse of inlineModules, for a Code node's body exported from n8n: each inlined module
 * becomes its `require('<spec>')` again. An inlined module that is not the file's current text
 * was edited in n8n (or the file changed since the flow was deployed); it is refused rather than
 * dropped, since the module is shared (the signature check is the worker's too).
 */
export function outlineModules(tree: FlowTree, file: string, jsCode: string): string {
  let code = jsCode;
  const marker = /\(function \(\) \{\n {2}\/\/ n8n:build inlined (\S+) here/g;
  for (const [, spec] of [...jsCode.matchAll(marker)]) {
    const expected = inlined(spec!, moduleSource(tree, file, spec!));
    if (!code.includes(expected)) {
      throw new Error(
        `${file}: the copy of ${resolveFrom(file, spec!)} inlined in this Code node differs from that file ` +
          `(edited in n8n, or the file changed since the flow was deployed). Make the change in the file, ` +
          'deploy, then pull.',
      );
    }
    code = code.split(expected).join(`require('${spec}')`);
  }
  return code;
}
