/**
 * A small builder for Grafana dashboards: a dashboard is a list of panels, each with a title
 * that says what it shows, a description, a unit and its PromQL queries. The builder lays the
 * panels out left to right on Grafana's 24-column grid and fills in the JSON Grafana expects.
 */

/** The Prometheus data source, provisioned with this uid (provisioning/datasources/prometheus.yml). */
export const datasource = { type: 'prometheus', uid: 'lapak-prometheus' } as const;

export interface Query {
  expr: string;
  /** Legend of each series, e.g. `{{route}}`; the expression's labels when left out. */
  legend?: string;
}

export interface PanelSpec {
  kind: 'timeseries' | 'stat';
  title: string;
  description: string;
  /** A Grafana unit id: `s`, `reqps`, `ops`, `percentunit`, `bytes`, `short`, ... */
  unit: string;
  queries: Query[];
  /** Columns out of 24 (stat 6, time series 12 by default). */
  width?: number;
  height?: number;
  min?: number;
  max?: number;
  /** Stat panels: orange from the first value, red from the second (higher is worse). */
  thresholds?: [number, number];
  stack?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  panels: PanelSpec[];
}

type PanelOptions = Omit<PanelSpec, 'kind'>;

export const timeseries = (options: PanelOptions): PanelSpec => ({ kind: 'timeseries', ...options });
export const stat = (options: PanelOptions): PanelSpec => ({ kind: 'stat', ...options });

/** `histogram_quantile` of a histogram's rate, summed by `le` and the `by` labels. */
export function quantile(q: number, histogram: string, selector = '', by: string[] = []): string {
  const labels = ['le', ...by].join(', ');
  return `histogram_quantile(${q}, sum by (${labels}) (rate(${histogram}_bucket${selector}[$__rate_interval])))`;
}

/** Quantiles of a histogram (p50, p95 and p99 unless `qs` says which), one query each. */
export function quantiles(histogram: string, selector = '', qs = [0.5, 0.95, 0.99]): Query[] {
  return qs.map((q) => ({
    expr: quantile(q, histogram, selector),
    legend: `p${Math.round(q * 100)}`,
  }));
}

function thresholdSteps(thresholds?: [number, number]) {
  const steps: { color: string; value: number | null }[] = [{ color: 'green', value: null }];
  if (thresholds) {
    steps.push({ color: 'orange', value: thresholds[0] }, { color: 'red', value: thresholds[1] });
  }
  return { mode: 'absolute', steps };
}

function panelJson(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }) {
  const targets = spec.queries.map((query, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource,
    expr: query.expr,
    legendFormat: query.legend ?? '__auto',
    range: true,
  }));
  const defaults: Record<string, unknown> = {
    unit: spec.unit,
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    thresholds: thresholdSteps(spec.thresholds),
  };
  const common = {
    id,
    type: spec.kind,
    title: spec.title,
    description: spec.description,
    datasource,
    gridPos,
    targets,
  };
  if (spec.kind === 'stat') {
    return {
      ...common,
      fieldConfig: { defaults: { ...defaults, color: { mode: 'thresholds' } }, overrides: [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: 'auto',
      },
    };
  }
  return {
    ...common,
    fieldConfig: {
      defaults: {
        ...defaults,
        color: { mode: 'palette-classic' },
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: spec.stack ? 30 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides: [],
    },
    options: {
      legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

/** The dashboard JSON Grafana's file provisioning loads. */
export function buildDashboard(spec: DashboardSpec) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((panel, index) => {
    const w = panel.width ?? (panel.kind === 'stat' ? 6 : 12);
    const h = panel.height ?? (panel.kind === 'stat' ? 4 : 8);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panelJson(panel, index + 1, gridPos);
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['lapak'],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    refresh: '30s',
    schemaVersion: 41,
    version: 1,
    time: { from: 'now-3h', to: 'now' },
    templating: { list: [] },
    annotations: { list: [] },
    links: [{ title: 'Lapak dashboards', type: 'dashboards', tags: ['lapak'], asDropdown: true }],
    panels,
  };
}

export type GrafanaDashboard = ReturnType<typeof buildDashboard>;
