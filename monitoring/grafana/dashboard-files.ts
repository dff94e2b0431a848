import { buildDashboard } from './dashboard-builder';
import { lapakDashboards } from './lapak-dashboards';

/** The text of each dashboard file, by file name, as build-dashboards.cli.ts writes it. */
export function dashboardFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(lapakDashboards).map(([file, spec]) => [
      file,
      `${JSON.stringify(buildDashboard(spec), null, 2)}\n`,
    ]),
  );
}
