/**
 * Where the pinned Directus, n8n and MailDev live: runs scripts/install-cms.sh (which installs them into
 * $LAPAK_CACHE on first use and prints progress on stderr) and returns the paths it prints.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CmsInstall {
  /** The Node 22 binary Directus runs on. */
  node22: string;
  /** Folder whose node_modules hold directus. */
  directusHome: string;
  /** Folder whose node_modules hold n8n (runs on the Node 24 of the toolchain). */
  n8nHome: string;
  /** Folder whose node_modules hold MailDev, the local mail catcher (on the same Node). */
  maildevHome: string;
}

const script = fileURLToPath(new URL('./install-cms.sh', import.meta.url));

/** Installs what is missing (minutes the first time, instant afterwards) and returns the paths. */
export function installCms(options: { quiet?: boolean } = {}): Promise<CmsInstall> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', options.quiet ? 'pipe' : 'inherit'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0)
        return reject(new Error(`scripts/install-cms.sh failed (${code})\n${err.slice(-2000)}`));
      const vars = Object.fromEntries(
        out
          .split('\n')
          .map((line) => /^(LAPAK_\w+)=(.*)$/.exec(line.trim()))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => [match[1], match[2]]),
      );
      const {
        LAPAK_NODE22: node22,
        LAPAK_DIRECTUS_HOME: directusHome,
        LAPAK_N8N_HOME: n8nHome,
        LAPAK_MAILDEV_HOME: maildevHome,
      } = vars;
      if (!node22 || !directusHome || !n8nHome || !maildevHome) {
        return reject(new Error(`scripts/install-cms.sh printed no paths:\n${out}`));
      }
      resolve({ node22, directusHome, n8nHome, maildevHome });
    });
  });
}

/** The directus CLI entry of an install. */
export const directusCli = (install: CmsInstall) => `${install.directusHome}/node_modules/directus/cli.js`;
/** The n8n CLI entry of an install. */
export const n8nCli = (install: CmsInstall) => `${install.n8nHome}/node_modules/n8n/bin/n8n`;
/** The MailDev CLI entry of an install. */
export const maildevCli = (install: CmsInstall) =>
  `${install.maildevHome}/node_modules/maildev/dist/bin/maildev.js`;

/**
 * MailDev's arguments: SMTP and its web inbox (and REST API, `GET /api/email`) on 127.0.0.1 at
 * these ports, the mails kept as files in `mailDir`.
 */
export const maildevArgs = (ports: { smtp: number; web: number }, mailDir: string) => [
  '--smtp',
  String(ports.smtp),
  '--ip',
  '127.0.0.1',
  '--web',
  String(ports.web),
  '--web-ip',
  '127.0.0.1',
  '--mail-directory',
  mailDir,
];
