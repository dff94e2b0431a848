/**
 * Global setup of the `e2e` Vitest project, once per run:
 *  1. what the integration tier does (PostgreSQL and Redis checked, a migrated template database
 *     for `useTestEnv()`, everything the run created removed at the end);
 *  2. Directus, n8n and MailDev installed (scripts/install-cms.sh, pinned versions) and started
 *     on free ports, the Directus schema applied and the n8n flows deployed;
 *  3. a small control server, so test files (in worker threads) can stop and start Directus and
 *     n8n (`useCmsStack()` in stack.ts).
 * Everything is stopped and dropped at the end; service logs stay in e2e/artifacts/cms-<run>/.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@lapak/core';
import coreSetup from '../../packages/core/src/testing/global-setup';
import { checkFlow, type FlowFile } from '../../n8n-workflows/src/flows';
import { startCmsStack, waitForWebhooks } from './cms-stack';

interface ProvidedCms {
  directusUrl: string;
  directusAdminToken: string;
  directusSyncToken: string;
  /** Directus's own database (the version fence lives there). */
  directusDatabaseUrl: string;
  n8nUrl: string;
  webhookSecret: string;
  /** MailDev's REST API (`GET /api/email`): the mails the automation flows sent. */
  mailUrl: string;
  /**
   * POST <controlUrl>/<directus|n8n>/<stop|start>; POST <controlUrl>/n8n/deploy with
   * `{"flows": [{"file": "<flow>-v<N>.json", "workflow": {…}}]}` imports and publishes them
   * (n8n restarts) and answers the deploy's lines. Between n8n and Directus sits a holding proxy:
   * POST <controlUrl>/directus-proxy/hold `{"sku": "…", "version": 1}` holds the writes with such a
   * row (e2e/support/holding-proxy.ts), POST …/release sends them on once Directus has answered
   * them, GET …/held counts them.
   */
  controlUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cms: ProvidedCms;
  }
}

export default async function setup(project: Parameters<typeof coreSetup>[0]) {
  const teardownCore = await coreSetup(project);
  const { testRunId } = project.getProvidedContext() as { testRunId: string };
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`e2e: ${line}\n`);
  let stack;
  try {
    stack = await startCmsStack({
      databaseUrl: config.DATABASE_URL,
      runId: testRunId,
      webhookSecret: randomBytes(32).toString('base64url'),
      holdingProxy: true,
      log: say,
    });
  } catch (error) {
    await teardownCore();
    throw error;
  }
  say(`Directus and n8n ready in ${Math.round((Date.now() - started) / 1000)} s (logs: ${stack.logsDir})`);
  const services = { directus: stack.directus.process, n8n: stack.n8n.process };

  const deploy = async (body: string) => {
    const { flows } = JSON.parse(body) as { flows: { file: string; workflow: FlowFile }[] };
    const checked = flows.map(({ file, workflow }) => checkFlow(file, workflow));
    await services.n8n.stop();
    try {
      return await stack.n8n.deploy(checked);
    } finally {
      await services.n8n.start();
      await waitForWebhooks(stack.n8n.url, checked);
    }
  };

  const control = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/n8n/deploy') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deploy(body).then(
          (lines) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(lines)),
          (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
        );
      });
      return;
    }
    const proxy = stack.directus.proxy!;
    if (req.url === '/directus-proxy/held') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ held: proxy.held() }));
      return;
    }
    if (req.method === 'POST' && req.url === '/directus-proxy/release') {
      void proxy.release().then((released) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ released }));
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/directus-proxy/hold') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        proxy.hold(JSON.parse(body) as Record<string, string | number>);
        res.writeHead(204).end();
      });
      return;
    }
    const match = /^\/(directus|n8n)\/(stop|start)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const service = services[match[1] as keyof typeof services];
    const action = match[2] === 'stop' ? service.stop() : service.start();
    action.then(
      () => res.writeHead(204).end(),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', () => resolve()));

  // (typed through this file's ProvidedContext; the project type comes from the core setup)
  (project.provide as (key: 'cms', value: ProvidedCms) => void)('cms', {
    directusUrl: stack.directus.url,
    directusAdminToken: stack.directus.adminToken,
    directusSyncToken: stack.directus.syncToken,
    directusDatabaseUrl: stack.directus.databaseUrl,
    n8nUrl: stack.n8n.url,
    webhookSecret: stack.webhookSecret,
    mailUrl: stack.mail.url,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  });

  return async () => {
    control.closeAllConnections();
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await stack.close();
    await teardownCore();
  };
}
