import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { n8nCommand, type CmsInstall } from './cms';
import { fingerprint, unlessUnchanged } from './fingerprint';
import type { Services } from './processes';
import { step } from './progress';
import { repoRoot, type RunSettings } from './settings';

/** Deploys the n8n flows in n8n-workflows/ (before n8n starts), when they changed since the last run. */
export async function deployFlows(settings: RunSettings, services: Services, install: CmsInstall) {
  const script = join(repoRoot, 'n8n-workflows/deploy.ts');
  if (!existsSync(script)) {
    console.log('  - n8n flows: none in n8n-workflows/ yet');
    return;
  }
  const { env } = n8nCommand(install, settings, []);
  await step(
    'n8n flows',
    () =>
      unlessUnchanged(settings.stateDir, 'n8n-flows', fingerprint(repoRoot, ['n8n-workflows']), () =>
        services.run({
          name: 'n8n-deploy',
          command: process.execPath,
          args: ['--import', 'tsx', script],
          cwd: repoRoot,
          env: { ...env, LAPAK_N8N_HOME: install.n8nHome },
        }),
      ),
    (result) => (result === 'unchanged' ? 'unchanged, skipped' : 'deployed'),
  );
}
