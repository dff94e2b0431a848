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
