import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExport, renderExport } from './application-export';
import { checkBinding, responseReads } from './binding-check';
import { propertyValue, requestOf } from './binding-eval';
import { exportFile } from './export-file';
import {
  bindingsIn,
  bodyFields,
  findSecrets,
  pathTemplate,
  readQueries,
  readWidgets,
  valueAt,
} from './export-reader';
import { lapakAdmin } from './lapak-admin.app';
import { DATASOURCE_NAME } from './queries';
import { DSL_VERSION } from './widgets';

const committed = readFileSync(exportFile, 'utf8');
const exported = JSON.parse(committed);
const queries = readQueries(exported);
const widgets = readWidgets(exported);
const pageNames = exported.pageList.map((page: any) => page.unpublishedPage.name as string);

/** Every `{{…}}` string of a widget, with its property path. */
function dynamicValues(widget: Record<string, unknown>, path: string[] = []): [string, string][] {
  return Object.entries(widget).flatMap(([key, value]): [string, string][] => {
    if (key === 'children' || key === 'childStylesheet') return [];
    if (typeof value === 'string') return value.includes('{{') ? [[[...path, key].join('.'), value]] : [];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return dynamicValues(value as Record<string, unknown>, [...path, key]);
    }
    return [];
  });
}

describe('appsmith/lapak-admin.json', () => {
  it('is exactly what appsmith/src builds (regenerate with pnpm appsmith:export)', () => {
    expect(committed).toBe(renderExport(lapakAdmin));
  });

  it('has what Appsmith’s importer requires of an application file', () => {
    expect(exported.artifactJsonType).toBe('APPLICATION');
    // The importer refuses a file whose schema versions are newer than its own.
    expect(exported.serverSchemaVersion).toBeLessThanOrEqual(10);
    expect(exported.clientSchemaVersion).toBeLessThanOrEqual(1);
    expect(exported.pageList.length).toBeGreaterThan(0);
    expect(Array.isArray(exported.actionList)).toBe(true);
    expect(Array.isArray(exported.datasourceList)).toBe(true);

    const refs = exported.exportedApplication.pages;
    expect(refs.map((ref: any) => ref.id)).toEqual(pageNames);
    expect(refs.filter((ref: any) => ref.isDefault)).toHaveLength(1);
    expect(pageNames).toEqual(['Products', 'Categories', 'Orders', 'Sync health', 'Settings']);
    for (const page of exported.pageList) {
      expect(page.unpublishedPage.layouts[0].dsl.version).toBe(DSL_VERSION);
      expect(page.publishedPage.layouts[0].dsl.widgetId).toBe('0');
    }
  });

  it('gives every query a page, a unique name on it and the one datasource', () => {
    const ids = exported.actionList.map((action: any) => action.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(exported.datasourceList.map((ds: any) => ds.name)).toEqual([DATASOURCE_NAME]);
    for (const query of queries) {
      expect(pageNames).toContain(query.page);
      expect(query.datasource).toBe(DATASOURCE_NAME);
      expect(queries.filter((q) => q.page === query.page && q.name === query.name)).toHaveLength(1);
    }
  });

  it('lists every bound part of a query, and sends JSON bodies as JSON', () => {
    for (const query of queries) {
      const action = exported.actionList.find((a: any) => a.id === `${query.page}_${query.name}`);
      const config = action.unpublishedAction.actionConfiguration;
      const bound = [
        ...(query.path.includes('{{') ? ['path'] : []),
        ...query.params.flatMap((param, i) =>
          param.value.includes('{{') ? [`queryParameters[${i}].value`] : [],
        ),
        ...(config.body.includes('{{') ? ['body'] : []),
      ];
      expect(query.dynamicBindingPaths, query.name).toEqual(bound);
      const texts = [query.path, ...query.params.map((p) => p.value), config.body];
      expect(query.jsonPathKeys, query.name).toEqual([...new Set(texts.flatMap(bindingsIn))]);
      if (query.bodyFields) {
        expect(query.headers, query.name).toEqual([{ key: 'content-type', value: 'application/json' }]);
        expect(config.formData.apiContentType).toBe('application/json');
      }
    }
  });

  it('gives widgets unique names that no query of their page shares, each with its parent’s id', () => {
    for (const page of pageNames) {
      const names = widgets.filter((w) => w.page === page).map((w) => w.widget.widgetName);
      expect(new Set(names).size).toBe(names.length);
      const queryNames = queries.filter((q) => q.page === page).map((q) => q.name);
      expect(names.filter((name) => queryNames.includes(name))).toEqual([]);
      for (const name of [...names, ...queryNames]) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    const ids = new Set(widgets.map((w) => `${w.page}/${w.widget.widgetId}`));
    for (const { page, widget } of widgets) {
      if (widget.widgetId === '0') continue;
      expect(ids.has(`${page}/${widget.parentId}`), widget.widgetName).toBe(true);
      for (const child of (widget.children ?? []) as any[]) expect(child.parentId).toBe(widget.widgetId);
    }
  });

  it('lists each widget’s bindings and triggers, and nothing else, in its path lists', () => {
    for (const { widget } of widgets) {
      const paths = dynamicValues(widget).map(([path]) => path);
      const listed = [
        ...(widget.dynamicBindingPathList as { key: string }[]),
        ...(widget.dynamicTriggerPathList as { key: string }[]),
      ].map((entry) => entry.key);
      expect(listed.sort(), widget.widgetName).toEqual(paths.sort());
      // Appsmith's select migration renames a bound `options` to `sourceData` only off index 0.
      if (widget.type === 'SELECT_WIDGET' && listed.includes('options')) {
        expect((widget.dynamicBindingPathList as { key: string }[])[0]!.key).not.toBe('options');
      }
      for (const { key } of widget.dynamicTriggerPathList as { key: string }[]) {
        expect(key.split('.').at(-1)).toMatch(/^on[A-Z]/);
        expect(String(valueAt(widget, key))).toMatch(/^\{\{[\s\S]*\}\}$/);
      }
    }
  });

  it('binds only to widgets and queries of the same page, and to properties they have', () => {
    const problems: string[] = [];
    for (const page of pageNames) {
      const entities = new Map<string, string>([
        ...widgets.filter((w) => w.page === page).map((w) => [w.widget.widgetName, w.widget.type] as const),
        ...queries.filter((q) => q.page === page).map((q) => [q.name, 'QUERY'] as const),
      ]);
      const texts: [string, string][] = [
        ...widgets
          .filter((w) => w.page === page)
          .flatMap((w) =>
            dynamicValues(w.widget).map(([path, value]): [string, string] => [
              `${w.widget.widgetName}.${path}`,
              value,
            ]),
          ),
        ...queries
          .filter((q) => q.page === page)
          .flatMap((q): [string, string][] => [
            [`${q.name}.path`, q.path],
            ...q.params.map((p): [string, string] => [`${q.name}.${p.key}`, p.value]),
          ]),
      ];
      for (const [where, text] of texts) {
        for (const expression of bindingsIn(text)) {
          for (const problem of checkBinding(expression, entities))
            problems.push(`${page} › ${where}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches a binding to a widget that is not there, or a property it lacks', () => {
    const entities = new Map([
      ['ProductsTable', 'TABLE_WIDGET_V2'],
      ['listProducts', 'QUERY'],
    ]);
    expect(checkBinding('(listProducts.data?.items || []).map((p) => p.id)', entities)).toEqual([]);
    expect(checkBinding('ProductTable.selectedRow.id', entities)).toEqual(['uses unknown name ProductTable']);
    expect(checkBinding('ProductsTable.selectedRows', entities)).toEqual([
      'ProductsTable (TABLE_WIDGET_V2) has no property selectedRows',
    ]);
    expect(checkBinding('listProducts.run(', entities)[0]).toMatch(/^does not parse/);
  });

  it('finds the response fields a binding reads, through map, find, filter and fallbacks', () => {
    const queriesOnPage = new Set(['listProducts', 'listProductCategories', 'getOrder']);
    const paths = (expression: string) =>
      responseReads(expression, queriesOnPage)
        .map((read) => `${read.query}:${read.path.join('.')}`)
        .sort();
    expect(paths('(listProducts.data?.items || []).map((p) => ({ id: p.id, n: p.items.length }))')).toEqual([
      'listProducts:items',
      'listProducts:items.[].id',
      'listProducts:items.[].items',
    ]);
    expect(
      paths("((listProductCategories.data?.items || []).find((c) => c.id === x) || {}).name || ''"),
    ).toEqual([
      'listProductCategories:items',
      'listProductCategories:items.[].id',
      'listProductCategories:items.[].name',
    ]);
    expect(paths("getOrder.data?.id ? 'Order ' + getOrder.data.id : ''")).toEqual([
      'getOrder:id',
      'getOrder:id',
    ]);
    expect(paths('ProductsTable.selectedRow.id')).toEqual([]);
  });

  it('keeps no token or other credential, and the datasource holds its URL only', () => {
    expect(findSecrets(exported)).toEqual([]);
    expect(exported.decryptedFields).toBeUndefined();
    const [datasource] = exported.datasourceList;
    expect(datasource.datasourceConfiguration).toEqual({ url: 'http://api:3000/api/v1' });

    // The check finds a token wherever one would be put.
    const leaky = buildExport(lapakAdmin) as any;
    leaky.datasourceList[0].datasourceConfiguration.headers = [
      { key: 'Authorization', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlc2ln' },
    ];
    leaky.datasourceList[0].datasourceConfiguration.authentication = { authenticationType: 'bearerToken' };
    expect(findSecrets(leaky)).toEqual([
      '$.datasourceList[0].datasourceConfiguration.headers[0].key: a credential header',
      '$.datasourceList[0].datasourceConfiguration.headers[0].value: a bearer token',
      '$.datasourceList[0].datasourceConfiguration.headers[0].value: a JWT',
      '$.datasourceList[0].datasourceConfiguration.authentication',
    ]);
  });

  it('evaluates bindings as Appsmith does: a lone one to its value, others into text, bodies as JSON', () => {
    expect(propertyValue('{{row.amount * 2}}', { row: { amount: 2500 } })).toBe(5000);
    expect(propertyValue('Set stock of {{row.sku}}', { row: { sku: 'K-1' } })).toBe('Set stock of K-1');
    expect(() => propertyValue('{{nowhere.id}}', {})).toThrow(ReferenceError);
    const confirm = queries.find((query) => query.name === 'confirmPayment')!;
    const scope = {
      OrdersTable: { selectedRow: { id: 'a b' } },
      PaidAmount: { text: '2500' },
      PaidReference: { text: 'LP-"1"' },
    };
    expect(requestOf(confirm, scope)).toEqual({
      path: '/orders/a%20b/payment/confirm',
      body: { amountCents: 2500, reference: 'LP-"1"' },
    });
  });

  it('reads path templates and body fields the way the contract test needs them', () => {
    expect(pathTemplate('/orders/{{OrdersTable.selectedRow.id}}/cancel')).toBe('/orders/{}/cancel');
    expect(() => pathTemplate('/orders/x{{id}}')).toThrow(/whole segment/);
    expect(bodyFields('{\n  "stock": {{Number(NewStock.text)}},\n  "status": "archived"\n}')).toEqual([
      'stock',
      'status',
    ]);
    expect(bodyFields('')).toBeNull();
    expect(bindingsIn('a {{ {x: 1}.x }} b {{c}}')).toEqual([' {x: 1}.x ', 'c']);
  });
});
