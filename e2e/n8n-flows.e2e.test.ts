/**
 * The flows round-trip between git and a real n8n (the pinned 2.40.7, on its own SQLite
 * database): `n8n:deploy` then `n8n:pull` leaves n8n-workflows/ as it is, both ways they reach
 * n8n (its CLI before it starts, as `pnpm start` and docker compose deploy; its public API while
 * it runs), and an edit saved in the n8n editor comes back as that edit and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCms, n8nCli } from '../scripts/cms';
import { buildFlows } from '../n8n-workflows/src/build-flows';
import { smtpCredentialName } from '../n8n-workflows/src/credentials';
import { deployFlows } from '../n8n-workflows/src/deploy-flows';
import { diskTree, withChanges } from '../n8n-workflows/src/flow-tree';
import { flowsDir, type FlowFile, type FlowNode } from '../n8n-workflows/src/flows';
import { fetchWorkflows, planPull } from '../n8n-workflows/src/pull-flows';
import { artifactsDir } from './support/cms-stack';
import { n8nEditor, ownerApiKey, type N8nRest } from './support/n8n-editor';
import { freePort } from '../scripts/start/processes';
import { ServiceProcess } from './support/service-process';

const tree = diskTree(flowsDir);
const { flows, changes: unbuilt } = buildFlows(tree);
const ids = flows.map((flow) => flow.workflow.id);

let cli: string;
let env: NodeJS.ProcessEnv;
let url: string;
let work: string;
let n8n: ServiceProcess | undefined;

beforeAll(async () => {
  expect([...unbuilt.keys()], 'the committed flows are built (pnpm n8n:build)').toEqual([]);
  cli = n8nCli(await installCms({ quiet: true }));
  work = await mkdtemp(join(tmpdir(), 'lapak-n8n-flows-'));
  const [port, brokerPort] = [await freePort(), await freePort()];
  url = `http://127.0.0.1:${port}`;
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    N8N_USER_FOLDER: join(work, 'n8n'),
    N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_SECURE_COOKIE: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_LOG_LEVEL: 'warn',
  };
  // As `pnpm start` and docker compose do: the n8n CLI imports and publishes before n8n starts.
  await deployFlows({ flows, n8nCli: cli, env });
}, 300_000);

afterAll(async () => {
  await n8n?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('n8n:deploy then n8n:pull', () => {
  it('with the n8n CLI (export:workflow): the tree is unchanged', async () => {
    const remote = await fetchWorkflows({ ids, n8nCli: cli, env });
    expect([...remote.keys()].sort()).toEqual([...ids].sort());
    const { changes } = await planPull(tree, remote);
    expect([...changes.keys()]).toEqual([]);
  });

  describe('with n8n running, through its public API', () => {
    let rest: N8nRest;
    let apiKey: string;

    beforeAll(async () => {
      await mkdir(artifactsDir, { recursive: true });
      n8n = new ServiceProcess('n8n', process.execPath, [cli, 'start'], {
        env,
        cwd: work,
        logFile: join(artifactsDir, `n8n-flows-${process.pid}.log`),
        ready: async () => (await fetch(`${url}/healthz/readiness`)).ok,
        readyTimeoutMs: 180_000,
      });
      await n8n.start();
      rest = n8nEditor(url, 'lapak-e2e-browser');
      apiKey = await ownerApiKey(
        rest,
        { email: 'flows@lapak.example.com', firstName: 'Flow', lastName: 'Engineer' },
        'n8n:pull',
      );
    }, 300_000);

    const pull = async () =>
      planPull(tree, await fetchWorkflows({ ids, n8nCli: cli, env, n8nUrl: url, apiKey }));
    const deploy = async () => (await deployFlows({ flows, n8nCli: cli, env, n8nUrl: url, apiKey })).actions;

    it('deploy finds every flow as the tree has it, and pull writes nothing', async () => {
      expect(await deploy()).toEqual(
        flows.map(
          (flow) =>
            `${flow.flow} ${flow.version} (${flow.workflow.id}): unchanged → /webhook/${flow.webhookPath}`,
        ),
      );
      expect([...(await pull()).changes.keys()]).toEqual([]);
    });

    it('stores the SMTP credential the mail flows name, and updates it in place', async () => {
      const credentials = async () =>
        (
          await fetch(`${url}/api/v1/credentials`, { headers: { 'X-N8N-API-KEY': apiKey } }).then(
            (response) => response.json() as Promise<{ data: { id: string; name: string; type: string }[] }>,
          )
        ).data.filter((credential) => credential.name === smtpCredentialName);
      const withSmtp = async (port: number) =>
        (
          await deployFlows({
            flows: [],
            n8nCli: cli,
            env,
            n8nUrl: url,
            apiKey,
            smtp: { host: '127.0.0.1', port },
          })
        ).actions;

      expect(await withSmtp(2525)).toEqual(['SMTP credential: created, 127.0.0.1:2525']);
      const [created] = await credentials();
      expect(created).toMatchObject({ type: 'smtp' });
      expect(await withSmtp(2526)).toEqual(['SMTP credential: updated, 127.0.0.1:2526']);
      expect(await credentials()).toEqual([expect.objectContaining({ id: created!.id })]);
    });

    it('an edit saved in the editor comes back as exactly that edit; deploying the tree undoes it', async () => {
      // What the editor does on save: the whole workflow back, with the version it was read at.
      const saved = await rest<FlowFile & { versionId: string }>('GET', '/workflows/lpkCatalogSyncV1');
      const edited = structuredClone(saved);
      const named = (name: string) => edited.nodes.find((node: FlowNode) => node.name === name)!;
      const edit = (code: string) => code.replace("'the category read'", "'the read of categories'");
      named('Plan writes').parameters.jsCode = edit(String(named('Plan writes').parameters.jsCode));
      named('Respond').position = [2000, 480];
      await rest('PATCH', '/workflows/lpkCatalogSyncV1', edited);

      const { changes, report } = await pull();
      expect([...changes.keys()].sort()).toEqual(['catalog-sync-v1.json', 'catalog-sync-v1/plan-writes.js']);
      expect(changes.get('catalog-sync-v1/plan-writes.js')).toBe(
        edit(tree.read('catalog-sync-v1/plan-writes.js')!),
      );
      const before = JSON.parse(tree.read('catalog-sync-v1.json')!) as FlowFile;
      const after = JSON.parse(changes.get('catalog-sync-v1.json')!) as FlowFile;
      const changed = after.nodes.filter(
        (node, index) => JSON.stringify(node) !== JSON.stringify(before.nodes[index]),
      );
      expect(changed.map((node) => node.name)).toEqual(['Plan writes', 'Respond']);
      expect(changed[1]!.position).toEqual([2000, 480]);
      expect({ ...after, nodes: [] }).toEqual({ ...before, nodes: [] });
      expect(report.join('\n')).toContain(
        'catalog-sync v1 (lpkCatalogSyncV1): catalog-sync-v1/plan-writes.js',
      );
      // What was pulled is built: n8n:build would write nothing more.
      expect([...buildFlows(withChanges(tree, changes)).changes.keys()]).toEqual([]);

      // n8n publishes an update of a published flow itself (else deploy publishes it); the other
      // flows are as the tree has them.
      expect((await deploy()).filter((line) => !line.includes(': unchanged → '))).toEqual([
        expect.stringMatching(/^catalog-sync v1 \(lpkCatalogSyncV1\): updated(, published)? → /),
      ]);
      const served = await fetch(`${url}/api/v1/workflows/lpkCatalogSyncV1`, {
        headers: { 'X-N8N-API-KEY': apiKey },
      }).then((response) => response.json() as Promise<{ versionId: string; activeVersionId: string }>);
      expect(served.activeVersionId).toBe(served.versionId);
      expect([...(await pull()).changes.keys()]).toEqual([]);
    });
  });
});
