import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadComposeFile } from '../../deploy/compose/compose-file';
import { alertThreshold, dashboardsDir, selectorsOf, withoutGrafanaVariables } from '../monitoring-queries';
import { buildDashboard, datasource, stat, timeseries } from './dashboard-builder';
import { dashboardFiles } from './dashboard-files';

const root = resolve(import.meta.dirname, '../..');
const provisioning = join(import.meta.dirname, 'provisioning');
const readYaml = (path: string) => parseYaml(readFileSync(path, 'utf8')) as Record<string, any>;
const composePath = join(root, 'docker-compose.yml');
/**
 * Compose refuses to read the file without the secrets `.env` holds (`${NAME:?…}`); any value
 * does here, since only the services' mounts and ports are read.
 */
const composeEnv = Object.fromEntries(
  [...readFileSync(composePath, 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map(([, name]) => [
    name!,
    'unused',
  ]),
);
const compose = loadComposeFile(composePath, composeEnv).file;
const grafana = compose.services.grafana!;
/** Where docker-compose.yml mounts a repository folder inside the Grafana container. */
const mountOf = (source: string) =>
  (grafana.volumes as string[]).find((volume) => volume.startsWith(`${source}:`))?.split(':')[1];

const committed = Object.fromEntries(
  readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, readFileSync(join(dashboardsDir, file), 'utf8')]),
);
const dashboards = Object.entries(committed).map(([file, text]) => [file, JSON.parse(text)] as const);

describe('Grafana dashboards', () => {
  it('are the JSON that lapak-dashboards.ts generates (npx tsx monitoring/grafana/build-dashboards.cli.ts)', () => {
    expect(Object.keys(committed).sort()).toEqual(Object.keys(dashboardFiles()).sort());
    for (const [file, text] of Object.entries(dashboardFiles())) expect(committed[file], file).toBe(text);
  });

  it('cover the API, orders and queues, the catalog sync, PostgreSQL and Redis, with unique uids', () => {
    const titles = dashboards.map(([, d]) => d.title);
    expect(titles.sort()).toEqual([
      'Lapak · API',
      'Lapak · Catalog sync',
      'Lapak · Orders and queues',
      'Lapak · PostgreSQL and Redis',
    ]);
    expect(new Set(dashboards.map(([, d]) => d.uid)).size).toBe(dashboards.length);
  });

  it('give every panel a title, a description, a unit and queries that parse as PromQL', () => {
    for (const [file, dashboard] of dashboards) {
      expect(dashboard.panels.length, file).toBeGreaterThan(5);
      for (const panel of dashboard.panels) {
        const where = `${file} panel ${panel.id} "${panel.title}"`;
        expect(panel.title.length, where).toBeGreaterThan(8);
        expect(panel.description.length, where).toBeGreaterThan(15);
        expect(panel.fieldConfig.defaults.unit, where).toMatch(/^[a-z_]+$/);
        expect(panel.datasource, where).toEqual(datasource);
        expect(panel.targets.length, where).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(() => selectorsOf(withoutGrafanaVariables(target.expr)), where).not.toThrow();
          expect(selectorsOf(withoutGrafanaVariables(target.expr)).length, where).toBeGreaterThan(0);
        }
      }
      const titles = dashboard.panels.map(
        (panel: { title: string; type: string }) => `${panel.type} ${panel.title}`,
      );
      expect(new Set(titles).size, `${file}: panel titles repeat`).toBe(titles.length);
    }
  });

  it('lay panels out on the 24-column grid without overlaps', () => {
    for (const [file, dashboard] of dashboards) {
      const cells = new Set<string>();
      for (const { gridPos, title } of dashboard.panels) {
        expect(gridPos.x + gridPos.w, `${file} "${title}"`).toBeLessThanOrEqual(24);
        for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
          for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${file} "${title}" overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });

  it('the checks have teeth: a query that does not parse is reported with its position', () => {
    expect(() => selectorsOf('sum(rate(http_requests_total{job="api"[5m]))')).toThrow(
      /does not parse at \d+/,
    );
    const built = buildDashboard({
      uid: 'x',
      title: 'x',
      description: 'x',
      panels: [
        stat({ title: 'a', description: 'a', unit: 's', queries: [{ expr: 'up' }] }),
        timeseries({ title: 'b', description: 'b', unit: 's', queries: [{ expr: 'up' }], width: 24 }),
      ],
    });
    expect(built.panels.map((panel) => panel.gridPos)).toEqual([
      { x: 0, y: 0, w: 6, h: 4 },
      { x: 0, y: 4, w: 24, h: 8 },
    ]);
  });
  it('colour the orders awaiting payment red at the threshold of LapakPaymentsPendingHigh', () => {
    const threshold = alertThreshold('LapakPaymentsPendingHigh');
    expect(threshold).toBeGreaterThan(0);
    const orders = dashboards.find(([file]) => file === 'lapak-orders.json')![1];
    const panel = orders.panels.find((p: { title: string }) => p.title === 'Orders awaiting payment');
    expect(panel.fieldConfig.defaults.thresholds.steps.at(-1)).toEqual({ color: 'red', value: threshold });
    expect(() => alertThreshold('LapakNoSuchAlert')).toThrow(/no alert rule/);
  });
});

describe('Grafana provisioning', () => {
  it('provides the Prometheus of docker-compose.yml under the uid the dashboards use', () => {
    const { datasources } = readYaml(join(provisioning, 'datasources/prometheus.yml'));
    expect(datasources).toHaveLength(1);
    expect(datasources[0]).toMatchObject({ type: 'prometheus', uid: datasource.uid, isDefault: true });
    const url = new URL(datasources[0].url);
    const prometheus = compose.services.prometheus!;
    expect(prometheus).toBeDefined();
    expect(url.hostname).toBe('prometheus');
    expect((prometheus.ports as string[]).some((port) => port.endsWith(`:${url.port}`))).toBe(true);
  });

  it('loads the dashboards from where docker-compose.yml mounts monitoring/grafana/dashboards', () => {
    expect(mountOf('./monitoring/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const { providers } = readYaml(join(provisioning, 'dashboards/lapak.yml'));
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({
      type: 'file',
      options: { path: mountOf('./monitoring/grafana/dashboards') },
    });
  });
});
