/**
 * `pnpm n8n:build [--check]`: writes each flow of this folder as the build makes it: normalised,
 * with the JavaScript of its Code nodes taken from their files (`<flow>-v<N>/<node>.js`) and the
 * modules they require inlined (src/build-flows.ts). `--check` writes nothing and exits 1 when a
 * flow file is not what the build makes of it. `pnpm n8n:deploy` builds first.
 */
import { buildFlows } from './src/build-flows';
import { optionalFlag } from './src/command-line';
import { diskTree, writeChanges } from './src/flow-tree';
import { flowsDir } from './src/flows';

const check = optionalFlag('n8n:build', '--check');

try {
  const { changes, flows } = buildFlows(diskTree(flowsDir));
  if (check) {
    for (const file of changes.keys()) console.error(`n8n:build: ${file} is not built (run pnpm n8n:build)`);
    if (changes.size) process.exit(1);
    console.log(`n8n:build: ${flows.length} flow(s) built`);
  } else {
    writeChanges(flowsDir, changes);
    for (const flow of flows) {
      console.log(`n8n:build: ${flow.file} ${changes.has(flow.file) ? 'written' : 'unchanged'}`);
    }
  }
} catch (error) {
  console.error(`n8n:build: ${(error as Error).message}`);
  process.exit(1);
}
