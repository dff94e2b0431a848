/**
 * Writes the dashboards of lapak-dashboards.ts to monitoring/grafana/dashboards/*.json:
 *   npx tsx monitoring/grafana/build-dashboards.cli.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardFiles } from './dashboard-files';

const dir = join(import.meta.dirname, 'dashboards');
mkdirSync(dir, { recursive: true });
for (const [file, text] of Object.entries(dashboardFiles())) {
  writeFileSync(join(dir, file), text);
  process.stdout.write(`wrote monitoring/grafana/dashboards/${file}\n`);
}
