/**
 * `pnpm n8n:pull [--dry-run]`: brings the flows of this folder back from n8n as they were last
 * saved in its editor (published or not), normalised, with the JavaScript of each Code node
 * written to its file; prints what changed (`--dry-run`: what would). The inverse of
 * `pnpm n8n:deploy`, and it reads n8n the same way:
 *
 * - With N8N_API_KEY and n8n answering at N8N_URL: through n8n's public API.
 * - Otherwise: with `n8n export:workflow` from the database that the n8n environment variables
 *   of this shell point at (N8N_USER_FOLDER, DB_TYPE, …).
 */
import { loadConfig } from '@lapak/core';
import { installCms, n8nCli } from '../scripts/cms';
import { flowFilesOf } from './src/build-flows';
import { optionalFlag } from './src/command-line';
import { diskTree, writeChanges } from './src/flow-tree';
import { flowsDir, type FlowFile } from './src/flows';
import { fetchWorkflows, planPull } from './src/pull-flows';

const dryRun = optionalFlag('n8n:pull', '--dry-run');

try {
  const config = loadConfig();
  const tree = diskTree(flowsDir);
  const ids = flowFilesOf(tree).map((file) => (JSON.parse(tree.read(file)!) as FlowFile).id);
  const reachable = await fetch(new URL('/healthz', config.N8N_URL)).then(
    (response) => response.ok,
    () => false,
  );
  const useApi = Boolean(config.N8N_API_KEY && reachable);
  console.log(
    `n8n:pull: ${ids.length} flow(s) ← ${useApi ? `${config.N8N_URL} (public API)` : 'the n8n database (n8n CLI)'}`,
  );
  const remote = await fetchWorkflows({
    ids,
    n8nCli: n8nCli(await installCms()),
    env: process.env,
    ...(useApi ? { n8nUrl: config.N8N_URL, apiKey: config.N8N_API_KEY } : {}),
  });
  const { changes, report } = await planPull(tree, remote);
  for (const line of report) console.log(`  ${line}`);
  if (dryRun) console.log(`n8n:pull: --dry-run, ${changes.size} file(s) not written`);
  else writeChanges(flowsDir, changes);
} catch (error) {
  console.error(`n8n:pull: ${(error as Error).message}`);
  process.exit(1);
}
