import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smtpCredential, type SmtpSettings } from './credentials';
import { normaliseWorkflow, serialiseFlow } from './flow-format';
import type { Flow, FlowFile } from './flows';

export interface DeployOptions {
  flows: Flow[];
  /** The n8n CLI entry (…/node_modules/n8n/bin/n8n), run with this process's Node. */
  n8nCli: string;
  /** Environment of the n8n CLI: the same database settings as the n8n that serves the flows. */
  env: NodeJS.ProcessEnv;
  /** With both, a running n8n is updated through its public API and serves the flows within a second. */
  n8nUrl?: string;
  apiKey?: string;
  /** Workflow ids to unpublish (a retired version). */
  retire?: string[];
  /**
   * The SMTP server the automation flows send mail through: stored in n8n as their credential
   * before the flows are deployed (through the public API with an API key, else the n8n CLI).
   */
  smtp?: SmtpSettings;
  log?: (line: string) => void;
}

export interface DeployResult {
  /** One line per flow: what was done. */
  actions: string[];
  /** True when n8n must be (re)started for the changes to take effect (CLI mode). */
  restartNeeded: boolean;
}

/** Runs an n8n CLI command; rejects with its output when it fails. */
export function runN8nCli(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`n8n ${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`)),
    );
  });
}

async function importWithCli(options: DeployOptions, flows: Flow[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lapak-flows-'));
  try {
    for (const flow of flows) await writeFile(join(dir, flow.file), JSON.stringify(flow.workflow));
    await runN8nCli(options.n8nCli, ['import:workflow', '--separate', `--input=${dir}`], options.env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Imports (or updates, by its fixed id) the flows' SMTP credential with the n8n CLI. */
async function importSmtpCredential(options: DeployOptions, smtp: SmtpSettings): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lapak-credentials-'));
  const file = join(dir, 'credentials.json');
  try {
    await writeFile(file, JSON.stringify([smtpCredential(smtp)]), { mode: 0o600 });
    await runN8nCli(options.n8nCli, ['import:credentials', `--input=${file}`], options.env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Creates or updates the flows' SMTP credential through n8n's public API, found by its name and
 * type (n8n gives a credential made through the API an id of its own).
 */
async function putSmtpCredential(api: N8nApi, smtp: SmtpSettings): Promise<'created' | 'updated'> {
  const { name, type, data } = smtpCredential(smtp);
  const listed = await api.request<{ data: { id: string; name: string; type: string }[] }>(
    'GET',
    '/credentials?limit=250',
  );
  const existing = listed.body.data.find(
    (credential) => credential.name === name && credential.type === type,
  );
  if (existing) {
    await api.request('PATCH', `/credentials/${existing.id}`, { name, type, data });
    return 'updated';
  }
  await api.request('POST', '/credentials', { name, type, data });
  return 'created';
}

/**
 * What decides whether the workflow in n8n is the one in the file: the flow as `n8n:pull` would
 * write it (flow-format.ts), so that deploying leaves n8n as pulling it back would find it.
 */
function fingerprint(flow: Flow, workflow: object): string {
  return serialiseFlow(normaliseWorkflow(flow.file, workflow as Record<string, unknown>));
}

/** n8n's public API (`/api/v1`) with an API key; a 404 is an answer, any other error throws. */
export class N8nApi {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(`/api/v1${path}`, this.url), {
      method,
      headers: { 'X-N8N-API-KEY': this.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok && response.status !== 404) {
      throw new Error(`n8n ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

interface RemoteWorkflow extends FlowFile {
  active: boolean;
  versionId: string;
  activeVersionId: string | null;
}

/**
 * Deploys the flows. With an API key and a running n8n: each flow is updated (PUT) when it
 * differs, created with the CLI when n8n does not have it, and published; n8n serves it within
 * a second. Without: every flow is imported and published with the n8n CLI (database only), and
 * n8n must be (re)started. Returns one line per flow.
 */
export async function deployFlows(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? (() => {});
  const actions: string[] = [];
  const report = (line: string) => {
    actions.push(line);
    log(line);
  };
  const label = (flow: Flow) => `${flow.flow} ${flow.version} (${flow.workflow.id})`;
  const api = options.apiKey && options.n8nUrl ? new N8nApi(options.n8nUrl, options.apiKey) : null;
  if (options.smtp) {
    if (api)
      report(
        `SMTP credential: ${await putSmtpCredential(api, options.smtp)}, ${options.smtp.host}:${options.smtp.port}`,
      );
    else {
      await importSmtpCredential(options, options.smtp);
      report(`SMTP credential: ${options.smtp.host}:${options.smtp.port}`);
    }
  }

  if (!api) {
    if (options.retire?.length) {
      // n8n 2.40's `unpublish:workflow` changes the workflow's row only: its published version and
      // webhook stay registered, and a restarted n8n keeps serving them. Only the public API
      // unpublishes a flow for real.
      throw new Error(
        `retiring ${options.retire.join(', ')} needs a running n8n and its public API (N8N_URL and N8N_API_KEY): the n8n CLI cannot unpublish a flow`,
      );
    }
    if (options.flows.length) {
      log(`importing ${options.flows.length} flow(s) with the n8n CLI`);
      await importWithCli(options, options.flows);
    }
    for (const flow of options.flows) {
      await runN8nCli(options.n8nCli, ['publish:workflow', `--id=${flow.workflow.id}`], options.env);
      report(`${label(flow)}: imported and published → /webhook/${flow.webhookPath}`);
    }
    return { actions, restartNeeded: true };
  }

  for (const flow of options.flows) {
    const { id } = flow.workflow;
    let remote = await api.request<RemoteWorkflow>('GET', `/workflows/${id}`);
    const done: string[] = [];
    if (remote.status === 404) {
      await importWithCli(options, [flow]);
      done.push('imported');
      remote = await api.request<RemoteWorkflow>('GET', `/workflows/${id}`);
    } else {
      if (fingerprint(flow, remote.body) !== fingerprint(flow, flow.workflow)) {
        const { name, nodes, connections, settings } = flow.workflow;
        remote = await api.request<RemoteWorkflow>('PUT', `/workflows/${id}`, {
          name,
          nodes,
          connections,
          settings,
        });
        done.push('updated');
      }
    }
    if (!remote.body.active || remote.body.activeVersionId !== remote.body.versionId) {
      await api.request('POST', `/workflows/${id}/publish`, {});
      done.push('published');
    }
    report(`${label(flow)}: ${done.length ? done.join(', ') : 'unchanged'} → /webhook/${flow.webhookPath}`);
  }
  for (const id of options.retire ?? []) {
    const { status } = await api.request('POST', `/workflows/${id}/unpublish`, {});
    report(`${id}: ${status === 404 ? 'not in n8n' : 'unpublished'}`);
  }
  return { actions, restartNeeded: false };
}
