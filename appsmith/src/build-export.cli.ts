/**
 * Writes the Appsmith export `appsmith/lapak-admin.json` from the TypeScript definition of the
 * app. `--check` writes nothing and fails when the file is not what the definition gives.
 *
 *   pnpm appsmith:export           # regenerate after changing appsmith/src
 *   pnpm appsmith:export --check   # is the committed export up to date?
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderExport } from './application-export';
import { exportFile } from './export-file';
import { lapakAdmin } from './lapak-admin.app';

const wanted = renderExport(lapakAdmin);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(exportFile, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== wanted) {
    process.stderr.write(`${exportFile} is out of date: run pnpm appsmith:export\n`);
    process.exit(1);
  }
} else {
  writeFileSync(exportFile, wanted);
  process.stdout.write(`wrote ${exportFile}\n`);
}
