/**
 * The Appsmith application export (the JSON file of "Import → Import from file"), built from
 * page definitions. The shape follows Appsmith's ApplicationJson: `clientSchemaVersion`,
 * `serverSchemaVersion`, `exportedApplication`, `datasourceList`, `pageList` (each page's
 * widget DSL in its layout), `actionList` (the queries), `actionCollectionList` (JS objects)
 * and the themes. The importer migrates a file from its schema versions up to its own and
 * refuses only a file newer than itself.
 */
import { datasource, jsonPathKeys, toAction, type Query } from './queries';
import { stableId } from './stable-id';
import { buildPageDsl, type Widget } from './widgets';

/**
 * Appsmith's export schema versions this file is written in. Server schema 10 → 11 only fills
 * in the URL of queries on Appsmith's built-in default REST datasource, which this app does not
 * use, so 10 imports unchanged into every release from 10 on.
 */
export const SERVER_SCHEMA_VERSION = 10;
export const CLIENT_SCHEMA_VERSION = 1;

export interface PageDefinition {
  name: string;
  slug: string;
  widgets: Widget[];
  queries: Query[];
}

export interface ApplicationDefinition {
  name: string;
  slug: string;
  /** Pages in menu order; the first opens by default. */
  pages: PageDefinition[];
}

function layout(page: PageDefinition, dsl: Widget) {
  const onLoad = page.queries.filter((query) => query.onLoad);
  return {
    id: page.name,
    dsl,
    // Appsmith recomputes this on import; these are the same queries, run together.
    layoutOnLoadActions: onLoad.length
      ? [
          onLoad.map((query) => ({
            id: `${page.name}_${query.name}`,
            name: query.name,
            pluginType: 'API',
            confirmBeforeExecute: false,
            jsonPathKeys: jsonPathKeys(query),
            timeoutInMillisecond: 10000,
          })),
        ]
      : [],
    layoutOnLoadActionErrors: [],
    validOnPageLoadActions: true,
    viewMode: false,
    deleted: false,
    policies: [],
    userPermissions: [],
  };
}

/** The empty DSL Appsmith exports for a page that was never deployed. */
const undeployedDsl = {
  widgetName: 'MainContainer',
  type: 'CANVAS_WIDGET',
  widgetId: '0',
  version: 4,
  backgroundColor: 'none',
  containerStyle: 'none',
  detachFromLayout: true,
  canExtend: true,
  snapColumns: 16,
  snapRows: 33,
  minHeight: 1292,
  topRow: 0,
  bottomRow: 1250,
  leftColumn: 0,
  rightColumn: 1224,
  parentColumnSpace: 1,
  parentRowSpace: 1,
  dynamicBindingPathList: [],
  dynamicTriggerPathList: [],
  children: [],
};

function pageEntry(app: ApplicationDefinition, page: PageDefinition) {
  const dsl = buildPageDsl(page.name, page.widgets);
  return {
    gitSyncId: `${stableId(`application/${app.slug}`, 24)}_${stableId(`page/${page.name}`, 24)}`,
    deleted: false,
    unpublishedPage: {
      name: page.name,
      slug: page.slug,
      layouts: [layout(page, dsl)],
      policies: [],
      userPermissions: [],
    },
    publishedPage: {
      name: page.name,
      slug: page.slug,
      layouts: [
        {
          id: page.name,
          dsl: undeployedDsl,
          validOnPageLoadActions: true,
          viewMode: false,
          deleted: false,
          policies: [],
          userPermissions: [],
        },
      ],
      policies: [],
      userPermissions: [],
    },
  };
}

const systemTheme = { name: 'Default-New', displayName: 'Modern', isSystemTheme: true, deleted: false };

/** The application export as a plain object. */
export function buildExport(app: ApplicationDefinition): Record<string, unknown> {
  const pageRefs = app.pages.map((page, index) => ({ id: page.name, isDefault: index === 0 }));
  return {
    artifactJsonType: 'APPLICATION',
    clientSchemaVersion: CLIENT_SCHEMA_VERSION,
    serverSchemaVersion: SERVER_SCHEMA_VERSION,
    exportedApplication: {
      name: app.name,
      slug: app.slug,
      pages: pageRefs,
      publishedPages: pageRefs,
      color: '#C7F3F0',
      icon: 'shopping-cart',
      appIsExample: false,
      isPublic: false,
      viewMode: false,
      evaluationVersion: 2,
      applicationVersion: 2,
      collapseInvisibleWidgets: true,
      isManualUpdate: false,
      unreadCommentThreads: 0,
      unpublishedCustomJSLibs: [],
      publishedCustomJSLibs: [],
      deleted: false,
    },
    datasourceList: [datasource()],
    customJSLibList: [],
    pageList: app.pages.map((page) => pageEntry(app, page)),
    actionList: app.pages.flatMap((page) => page.queries.map((query) => toAction(page.name, query))),
    actionCollectionList: [],
    editModeTheme: systemTheme,
    publishedTheme: systemTheme,
  };
}

/** Keys sorted at every level, so the file's diffs show only real changes. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The export file's text: pretty-printed JSON with sorted keys and a final newline. */
export function renderExport(app: ApplicationDefinition): string {
  return `${JSON.stringify(sortKeys(buildExport(app)), null, 2)}\n`;
}
