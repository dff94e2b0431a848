/**
 * Reads an Appsmith application export the way the tests need it: every REST query with its
 * method, path template, query parameters and JSON body fields, every widget, and anything in
 * the file that looks like a credential.
 */

export interface ExportedQuery {
  page: string;
  name: string;
  method: string;
  /** As written, with its `{{…}}` bindings. */
  path: string;
  /** Each `{{…}}` path segment as `{}`: `/orders/{{OrdersTable.selectedRow.id}}/cancel` → `/orders/{}/cancel`. */
  pathTemplate: string;
  params: { key: string; value: string }[];
  /** The JSON body as written, with its `{{…}}` bindings; empty for a query without a body. */
  body: string;
  /** The top-level fields of the JSON body; null for a query without a body. */
  bodyFields: string[] | null;
  headers: { key: string; value: string }[];
  datasource: string;
  jsonPathKeys: string[];
  dynamicBindingPaths: string[];
}

export interface ExportedWidget {
  page: string;
  widget: WidgetJson;
}

interface WidgetJson {
  widgetName: string;
  type: string;
  children?: WidgetJson[];
  [property: string]: unknown;
}

interface ActionJson {
  pluginType: string;
  unpublishedAction: {
    name: string;
    pageId: string;
    datasource?: { name?: string; id?: string };
    actionConfiguration: {
      httpMethod: string;
      path: string;
      queryParameters?: { key: string; value: string }[];
      headers?: { key: string; value: string }[];
      body?: string;
    };
    jsonPathKeys?: string[];
    dynamicBindingPathList?: { key: string }[];
  };
}

/** The parts of an application export these readers look at. */
export interface ExportJson {
  actionList: ActionJson[];
  pageList: { unpublishedPage: { name: string; layouts: { dsl: WidgetJson }[] } }[];
}

/**
 * The `{{…}}` expressions in a text, in order, matching braces the way Appsmith does (so an
 * object literal inside a binding stays part of it).
 */
export function bindingsIn(text: string): string[] {
  const found: string[] = [];
  let index = text.indexOf('{{');
  while (index >= 0) {
    let depth = 0;
    let end = -1;
    for (let i = index; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      }
    }
    if (end < 0) throw new Error(`Unclosed binding in: ${text}`);
    found.push(text.slice(index + 2, end - 1));
    index = text.indexOf('{{', end + 1);
  }
  return found;
}

/** `text` with each `{{…}}` replaced by `replacement`. */
export function replaceBindings(text: string, replacement: string): string {
  let result = text;
  for (const expression of bindingsIn(text)) result = result.replace(`{{${expression}}}`, replacement);
  return result;
}

export function pathTemplate(path: string): string {
  const template = replaceBindings(path, '{}');
  for (const segment of template.split('/')) {
    if (segment.includes('{}') && segment !== '{}') {
      throw new Error(`A bound path segment must be a whole segment: ${path}`);
    }
  }
  return template;
}

/** The top-level fields of a body written for Appsmith's smart JSON substitution. */
export function bodyFields(body: string): string[] | null {
  if (!body.trim()) return null;
  const parsed = JSON.parse(replaceBindings(body, 'null'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('A body must be an object');
  return Object.keys(parsed);
}

export function readQueries(exported: ExportJson): ExportedQuery[] {
  return exported.actionList
    .filter((action) => action.pluginType === 'API')
    .map(({ unpublishedAction: action }) => {
      const config = action.actionConfiguration;
      return {
        page: action.pageId,
        name: action.name,
        method: config.httpMethod,
        path: config.path,
        pathTemplate: pathTemplate(config.path),
        params: config.queryParameters ?? [],
        body: config.body ?? '',
        bodyFields: bodyFields(config.body ?? ''),
        headers: config.headers ?? [],
        datasource: action.datasource?.name ?? action.datasource?.id ?? '',
        jsonPathKeys: action.jsonPathKeys ?? [],
        dynamicBindingPaths: (action.dynamicBindingPathList ?? []).map((entry) => entry.key),
      };
    });
}

export function readWidgets(exported: ExportJson): ExportedWidget[] {
  const widgets: ExportedWidget[] = [];
  for (const page of exported.pageList) {
    const name = page.unpublishedPage.name;
    const visit = (widget: WidgetJson) => {
      widgets.push({ page: name, widget });
      for (const child of widget.children ?? []) visit(child);
    };
    for (const layout of page.unpublishedPage.layouts) visit(layout.dsl);
  }
  return widgets;
}

/** The value at a widget property path such as `primaryColumns.sku.computedValue`. */
export function valueAt(object: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);
}

/**
 * Places in the export that hold, or would hold, a credential: an Authorization header or
 * token-like text anywhere, authentication settings or decrypted fields of a datasource.
 */
export function findSecrets(exported: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (/\bbearer\s+\S/i.test(value)) found.push(`${path}: a bearer token`);
      if (/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/.test(value)) found.push(`${path}: a JWT`);
      if (/^(authorization|x-api-key|api-key|cookie)$/i.test(value))
        found.push(`${path}: a credential header`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const empty = child === null || (typeof child === 'object' && Object.keys(child).length === 0);
        if (
          /^(authentication|decryptedFields|password|secret|token|apiKey|accessToken)$/i.test(key) &&
          !empty
        ) {
          found.push(`${path}.${key}`);
        }
        visit(child, `${path}.${key}`);
      }
    }
  };
  visit(exported, '$');
  return found;
}
