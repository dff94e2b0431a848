import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { smtpOfConfig } from '../../n8n-workflows/src/credentials';
import { deployFlows as deployWithCli } from '../../n8n-workflows/src/deploy-flows';
import { loadFlows } from '../../n8n-workflows/src/flows';
import { n8nCli, type CmsInstall } from '../cms';
import { n8nEnv, writeN8nSecretFiles } from './cms';
import { fingerprint, forgetApplied, unlessUnchanged } from './fingerprint';
import { step } from './progress';
import { repoRoot, type RunSettings } from './settings';

/**
 * Deploys the flows of n8n-workflows/ and their SMTP credential (SMTP_*) into n8n's database
 * with the n8n CLI before n8n starts (what `pnpm n8n:deploy` does without an API key), when they
 * or the SMTP settings changed since the last run.
 */
export async function deployFlows(settings: RunSettings, install: CmsInstall) {
  const env = n8nEnv(settings, writeN8nSecretFiles(settings, install));
  const smtp = smtpOfConfig(settings.config);
  // A new n8n database (first run, or its folder removed) needs the flows again.
  if (!existsSync(join(env.N8N_USER_FOLDER!, '.n8n/database.sqlite'))) {
    forgetApplied(settings.stateDir, ['n8n-']);
  }
  await step(
    'n8n flows',
    () =>
      unlessUnchanged(
        settings.stateDir,
        'n8n-flows',
        fingerprint(repoRoot, ['n8n-workflows'], [JSON.stringify(smtp)]),
        async () => {
          const flows = await loadFlows();
          await deployWithCli({ flows, n8nCli: n8nCli(install), env, smtp });
        },
      ),
    (result) => (result === 'unchanged' ? 'unchanged, skipped' : 'imported and published'),
  );
}
