/**
 * `pnpm n8n:deploy [--retire <workflow id>]…`: deploys every flow export of this folder to n8n
 * and prints what it did.
 *
 * - With N8N_API_KEY and n8n answering at N8N_URL: updates what differs through n8n's public
 *   API (creating missing flows with the n8n CLI) and publishes; effective within a second.
 * - Otherwise: imports and publishes with the n8n CLI into the database that the n8n environment
 *   variables of this shell point at (N8N_USER_FOLDER, DB_TYPE, …); then (re)start n8n.
 * The automation flows' SMTP credential is stored from SMTP_* (n8n CLI, in both modes).
 * Each flow is built first (`pnpm n8n:build`: its Code nodes' files inlined), and a flow file the
 * build changes is written, so what is deployed is what git will hold.
 * The n8n installation comes from scripts/install-cms.sh (installed on first use).
 */
import { loadConfig } from '@lapak/core';
import { installCms, n8nCli } from '../scripts/cms';
import { buildFlows } from './src/build-flows';
import { smtpOfConfig } from './src/credentials';
import { deployFlows } from './src/deploy-flows';
import { diskTree, writeChanges } from './src/flow-tree';
import { flowsDir, loadFlows } from './src/flows';

const retire: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--retire' && args[i + 1]) retire.push(args[++i]!);
  else {
    console.error(`n8n:deploy: unknown argument ${args[i]} (usage: n8n:deploy [--retire <workflow id>]…)`);
    process.exit(2);
  }
}

try {
  const config = loadConfig();
  const built = buildFlows(diskTree(flowsDir));
  writeChanges(flowsDir, built.changes);
  for (const file of built.changes.keys()) console.log(`n8n:deploy: built ${file} from its Code node files`);
  const flows = await loadFlows();
  const reachable = await fetch(new URL('/healthz', config.N8N_URL)).then(
    (response) => response.ok,
    () => false,
  );
  const useApi = Boolean(config.N8N_API_KEY && reachable);
  console.log(
    `n8n:deploy: ${flows.length} flow(s) → ${useApi ? `${config.N8N_URL} (public API)` : 'the n8n database (n8n CLI)'}`,
  );
  const install = await installCms();
  const result = await deployFlows({
    flows,
    retire,
    n8nCli: n8nCli(install),
    env: process.env,
    smtp: smtpOfConfig(config),
    ...(useApi ? { n8nUrl: config.N8N_URL, apiKey: config.N8N_API_KEY } : {}),
    log: (line) => console.log(`  ${line}`),
  });
  if (result.restartNeeded) {
    console.log(
      reachable
        ? `n8n:deploy: n8n runs at ${config.N8N_URL}: restart it to serve these versions (or set N8N_API_KEY to deploy live)`
        : 'n8n:deploy: start n8n to serve them',
    );
  }
} catch (error) {
  console.error(`n8n:deploy: ${(error as Error).message}`);
  process.exit(1);
}
