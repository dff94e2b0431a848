import type { DemoLogins } from '../demo-data';
import type { Services } from './processes';
import type { RunSettings } from './settings';

/** The closing message: where everything is, how to log in, where the logs are. */
export function printSummary(settings: RunSettings, services: Services, logins: DemoLogins | null) {
  const { urls } = settings;
  const rows: [string, string][] = [
    ['Storefront', urls.web],
    ['API', `${urls.api}/api/v1   (docs: ${urls.api}/api/v1/docs, health: /healthz, /readyz)`],
    ['API metrics', `${urls.apiMetrics}/metrics`],
    ['Worker', `${urls.workerMetrics}/metrics`],
    ['Directus', `${urls.directus}/admin`],
    ['n8n', urls.n8n],
    ...(urls.mail
      ? [['Mail inbox', `${urls.mail}   (the shop's mails, caught by MailDev)`] as [string, string]]
      : []),
  ];
  const lines = rows.map(([name, url]) => `  ${name.padEnd(12)}${url}`);
  // A production password stays where it was set, out of terminals and their logs.
  const shown = (password: string, variable: string) =>
    settings.config.NODE_ENV === 'production' ? `(${variable})` : password;
  const loginLines = [
    `  Directus admin   ${settings.DIRECTUS_ADMIN_EMAIL} / ${shown(settings.DIRECTUS_ADMIN_PASSWORD, 'DIRECTUS_ADMIN_PASSWORD')}`,
    `  n8n owner        ${settings.N8N_OWNER_EMAIL} / ${shown(settings.N8N_OWNER_PASSWORD, 'N8N_OWNER_PASSWORD')}`,
  ];
  if (logins) {
    loginLines.unshift(
      `  Shopper          ${logins.shopper.email} / ${logins.shopper.password}   (storefront)`,
      `  Admin            ${logins.admin.email} / ${logins.admin.password}   (API, Appsmith)`,
    );
    if (logins.editor) {
      loginLines.push(`  Content editor   ${logins.editor.email} / ${logins.editor.password}   (Directus)`);
    }
  }
  console.log(`
Lapak is running.
${lines.join('\n')}

Logins:
${loginLines.join('\n')}
${
  logins?.notSynced
    ? `\n  (${logins.notSynced} demo products had not reached Directus yet; they get their pictures on the next start)\n`
    : ''
}
Logs: ${services.logPath('*')}
Press Ctrl-C to stop everything.`);
}
