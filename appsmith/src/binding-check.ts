/**
 * Checks the JavaScript inside `{{…}}` the way the Appsmith editor would flag it: it must
 * parse, and every name it uses must be a widget or query of the same page, an Appsmith
 * global, or a local (an arrow function's parameter). A property read straight off a widget
 * or query must be one that kind of entity has.
 */
import ts from 'typescript';

/** Appsmith's globals and actions, and the JavaScript built-ins the app uses. */
const globals = new Set([
  'appsmith',
  'currentRow',
  'currentIndex',
  'showAlert',
  'showModal',
  'closeModal',
  'storeValue',
  'removeValue',
  'resetWidget',
  'navigateTo',
  'JSON',
  'Math',
  'Number',
  'String',
  'Boolean',
  'Object',
  'Array',
  'Promise',
  'Date',
  'undefined',
  'encodeURIComponent',
]);

/** The properties of each entity kind the app reads (a subset of what Appsmith exposes). */
export const entityProperties: Record<string, string[]> = {
  QUERY: ['data', 'run', 'isLoading', 'responseMeta'],
  TEXT_WIDGET: ['text', 'isVisible'],
  BUTTON_WIDGET: ['text', 'isDisabled', 'isVisible'],
  INPUT_WIDGET_V2: ['text', 'inputText', 'isValid', 'isVisible'],
  SELECT_WIDGET: ['selectedOptionValue', 'selectedOptionLabel', 'isValid'],
  DATE_PICKER_WIDGET2: ['selectedDate', 'formattedDate', 'isValid'],
  TABLE_WIDGET_V2: [
    'selectedRow',
    'selectedRowIndex',
    'triggeredRow',
    'triggeredRowIndex',
    'processedTableData',
    'tableData',
    'pageNo',
    'pageSize',
  ],
  MODAL_WIDGET: ['isVisible'],
};

function bindingNames(name: ts.BindingName, into: Set<string>) {
  if (ts.isIdentifier(name)) into.add(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

const unwrap = (node: ts.Expression): ts.Expression => {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current))
    current = current.expression;
  // `(x.data?.items || [])`: the fallback does not change which field is read.
  if (ts.isBinaryExpression(current) && ['||', '??'].includes(current.operatorToken.getText())) {
    return unwrap(current.left);
  }
  return current;
};

/** Array and string members a binding calls or reads; they are not response fields. */
const builtIns = new Set([
  'map',
  'find',
  'filter',
  'some',
  'every',
  'forEach',
  'concat',
  'slice',
  'join',
  'includes',
  'length',
]);
/** Array methods whose callback gets one element of the array. */
const elementCallbacks = new Set(['map', 'find', 'filter', 'some', 'every', 'forEach']);

type Read = { query: string; path: string[] };

/**
 * The response fields a binding reads from queries: `listProducts.data?.items.map((p) => p.sku)`
 * reads `items.[].sku` of listProducts (`[]` is "each element of the array").
 */
export function responseReads(expression: string, queries: Set<string>): Read[] {
  const source = ts.createSourceFile('binding.ts', `(${expression});`, ts.ScriptTarget.Latest, true);
  const reads: Read[] = [];
  /** The query and response path an expression evaluates to, if it is one. */
  const pathOf = (node: ts.Expression, locals: Map<string, Read>): Read | undefined => {
    const expression = unwrap(node);
    if (ts.isIdentifier(expression)) return locals.get(expression.text);
    if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression)) {
      const method = expression.expression.name.text;
      const array = pathOf(expression.expression.expression, locals);
      if (!array) return undefined;
      if (method === 'find') return { query: array.query, path: [...array.path, '[]'] };
      if (['filter', 'slice', 'concat'].includes(method)) return array;
      return undefined;
    }
    if (ts.isPropertyAccessExpression(expression) && !builtIns.has(expression.name.text)) {
      const target = unwrap(expression.expression);
      if (ts.isIdentifier(target) && queries.has(target.text) && !locals.has(target.text)) {
        return expression.name.text === 'data' ? { query: target.text, path: [] } : undefined;
      }
      const parent = pathOf(expression.expression, locals);
      if (parent) return { query: parent.query, path: [...parent.path, expression.name.text] };
    }
    return undefined;
  };
  const visit = (node: ts.Node, locals: Map<string, Read>): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const read = pathOf(node, locals);
      const extended = ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node;
      if (read && read.path.length > 0 && !(extended && !builtIns.has(node.parent.name.text)))
        reads.push(read);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      elementCallbacks.has(node.expression.name.text)
    ) {
      const array = pathOf(node.expression.expression, locals);
      const callback = node.arguments[0];
      const first =
        callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
          ? callback.parameters[0]
          : undefined;
      if (array && callback && first && ts.isIdentifier(first.name)) {
        visit(node.expression, locals);
        const inner = new Map(locals);
        inner.set(first.name.text, { query: array.query, path: [...array.path, '[]'] });
        visit((callback as ts.ArrowFunction).body, inner);
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, locals));
  };
  visit(source, new Map());
  return reads;
}

/** Problems with one binding expression; `entities` maps the page's names to their kind. */
export function checkBinding(expression: string, entities: Map<string, string>): string[] {
  const code = `(${expression});`;
  const { diagnostics } = ts.transpileModule(code, { reportDiagnostics: true });
  if (diagnostics?.length) {
    return diagnostics.map((d) => `does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  const source = ts.createSourceFile('binding.ts', code, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const visit = (node: ts.Node, locals: Set<string>): void => {
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const inner = new Set(locals);
      for (const parameter of node.parameters) bindingNames(parameter.name, inner);
      visit(node.body, inner);
      return;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const kind = entities.get(node.expression.text);
      const known = kind ? entityProperties[kind] : undefined;
      if (known && !locals.has(node.expression.text) && !known.includes(node.name.text)) {
        problems.push(`${node.expression.text} (${kind}) has no property ${node.name.text}`);
      }
    }
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node);
      const name = node.text;
      if (!isPropertyName && !locals.has(name) && !globals.has(name) && !entities.has(name)) {
        problems.push(`uses unknown name ${name}`);
      }
      return;
    }
    ts.forEachChild(node, (child) => visit(child, locals));
  };
  visit(source, new Set());
  return problems;
}
