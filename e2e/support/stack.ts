/**
 * Helpers for e2e test files, on top of the Directus and n8n the global setup started:
 *
 *   const env = useTestEnv();                 // own PostgreSQL database and Redis prefix
 *   const stack = useStack(env);              // the real API and worker on them, wired to Directus/n8n
 *   stack.api.request('POST', '/api/v1/products', { token: stack.adminToken, body: productCreateBody() })
 *   await eventually('in Directus', () => stack.directus.item('products', id))
 *   await stack.cms.stop('n8n'); … await stack.cms.start('n8n');
 *
 * Test files share one Directus and one n8n and run one at a time (fileParallelism off);
 * `useStack` empties Directus's catalog before a file, so each starts from nothing.
 * Browser tests can use `useStack` the same way and point the storefront at
 * `stack.api.url` and `stack.cms.directusUrl`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, inject } from 'vitest';
import { createLogger, type Config } from '@lapak/core';
import type { TestEnv } from '@lapak/core/testing';
import { createApp } from '@lapak/api/src/app';
import { createApiDeps, type ApiDeps } from '@lapak/api/src/deps';
import { createWorkerDeps, type WorkerDeps } from '@lapak/worker/src/deps';
import { reconcileCatalog, type ReconcileReport } from '@lapak/worker/src/sync/catalog-reconciler';
import { startWorkers, type RunningWorkers } from '@lapak/worker/src/workers';
import { ids } from '../../directus/src/fields';

export type CmsService = 'directus' | 'n8n';

/** JSON from the wire; the tests assert its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The shared Directus and n8n, and the switch to stop and start them. */
export function cms() {
  const provided = inject('cms');
  const control = async (service: CmsService, action: 'stop' | 'start') => {
    const response = await fetch(`${provided.controlUrl}/${service}/${action}`, { method: 'POST' });
    if (!response.ok) throw new Error(`${action} ${service} failed: ${await response.text()}`);
  };
  return {
    ...provided,
    stop: (service: CmsService) => control(service, 'stop'),
    start: (service: CmsService) => control(service, 'start'),
    /** The proxy between n8n and Directus: holds the writes with a row like `rule` until released. */
    directusProxy: {
      async hold(rule: Record<string, string | number>) {
        const response = await fetch(`${provided.controlUrl}/directus-proxy/hold`, {
          method: 'POST',
          body: JSON.stringify(rule),
        });
        if (!response.ok) throw new Error(`holding writes failed: ${response.status}`);
      },
      async release(): Promise<number> {
        const response = await fetch(`${provided.controlUrl}/directus-proxy/release`, { method: 'POST' });
        return ((await response.json()) as { released: number }).released;
      },
      async held(): Promise<number> {
        const response = await fetch(`${provided.controlUrl}/directus-proxy/held`);
        return ((await response.json()) as { held: number }).held;
      },
    },
    /** Imports and publishes flow exports into the shared n8n (which restarts); the deploy's lines. */
    async deployFlows(flows: { file: string; workflow: unknown }[]): Promise<string[]> {
      const response = await fetch(`${provided.controlUrl}/n8n/deploy`, {
        method: 'POST',
        body: JSON.stringify({ flows }),
      });
      if (!response.ok) throw new Error(`deploying flows failed: ${await response.text()}`);
      return (await response.json()) as string[];
    },
  };
}

/**
 * `base` (a test env's config) pointed at the shared Directus and n8n, with retries fast enough
 * for tests and the scheduled reconciliation off (tests run it by hand).
 */
export function stackConfig(base: Config, overrides: Partial<Config> = {}): Config {
  const c = cms();
  return {
    ...base,
    N8N_URL: c.n8nUrl,
    DIRECTUS_URL: c.directusUrl,
    DIRECTUS_SYNC_TOKEN: c.directusSyncToken,
    WEBHOOK_SECRET: c.webhookSecret,
    ADMIN_API_TOKEN: base.ADMIN_API_TOKEN ?? randomBytes(24).toString('hex'),
    SYNC_RETRY_BASE_MS: 250,
    SYNC_RETRY_MAX_MS: 2000,
    SYNC_MAX_ATTEMPTS: 200,
    SYNC_REQUEST_TIMEOUT_MS: 20_000,
    SYNC_RECONCILE_EVERY_MS: 0,
    SYNC_RECONCILE_GRACE_MS: 0,
    ...overrides,
  };
}

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RunningApi {
  url: string;
  deps: ApiDeps;
  request<T = Json>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  /** `POST /api/v1/orders` as `token`'s shopper with a fresh Idempotency-Key, as the storefront sends it. */
  checkout(token: string, body: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** The real API (Koa app, its deps) on a free port. */
export async function startApi(config: Config): Promise<RunningApi> {
  const deps = await createApiDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'api' }));
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request: RunningApi['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  return {
    url,
    deps,
    request,
    checkout: (token, body) =>
      request('POST', '/api/v1/orders', { token, body, headers: { 'idempotency-key': randomUUID() } }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}

export interface RunningWorker {
  deps: WorkerDeps;
  workers: RunningWorkers;
  close(): Promise<void>;
}

/** The real worker (order processing, outbox relay, catalog dispatcher, reconciliation) in this process. */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const deps = await createWorkerDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
  const workers = await startWorkers(deps);
  return {
    deps,
    workers,
    async close() {
      await workers.close();
      await deps.close();
    },
  };
}

/** Directus over REST with a token (the admin's unless told otherwise). */
export class DirectusClient {
  constructor(
    readonly url: string,
    readonly token: string | null,
  ) {}

  async request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : {};
    return { status: response.status, data: (parsed.data ?? parsed) as T };
  }

  /** The item, or null when Directus says it is not there (it answers 403 for a missing item). */
  async item<T = Record<string, Json>>(collection: string, id: string): Promise<T | null> {
    const { status, data } = await this.request<T>('GET', `/items/${collection}/${id}`);
    if (status === 403 || status === 404) return null;
    if (status !== 200)
      throw new Error(`Directus GET ${collection}/${id}: ${status} ${JSON.stringify(data)}`);
    return data;
  }

  async ids(collection: string): Promise<string[]> {
    const { data } = await this.request<{ id: string }[]>('GET', `/items/${collection}?fields=id&limit=-1`);
    return data.map((item) => item.id);
  }

  /** Uploads a PNG as this user, into `folder` when given; returns the new file's id. */
  async uploadPng(png: Buffer, title: string, folder?: string): Promise<string> {
    const form = new FormData();
    if (folder) form.append('folder', folder);
    form.append('title', title);
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), `${title}.png`);
    const response = await fetch(`${this.url}/files`, {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      body: form,
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`Directus POST /files: ${response.status} ${text}`);
    return (JSON.parse(text) as { data: { id: string } }).data.id;
  }

  /** A new content editor (the Editor role) with a static token; returns a client acting as them. */
  async newEditor(): Promise<DirectusClient> {
    const token = randomBytes(20).toString('hex');
    const { status, data } = await this.request('POST', '/users', {
      email: `editor-${randomBytes(4).toString('hex')}@lapak.example.com`,
      role: ids.editorRole,
      token,
      status: 'active',
    });
    if (status !== 200) throw new Error(`Directus POST /users: ${status} ${JSON.stringify(data)}`);
    return new DirectusClient(this.url, token);
  }

  /** Deletes every product and category (admin token). */
  async emptyCatalog(): Promise<void> {
    for (const collection of ['products', 'categories']) {
      const ids = await this.ids(collection);
      for (let i = 0; i < ids.length; i += 500) {
        const { status, data } = await this.request('DELETE', `/items/${collection}`, ids.slice(i, i + 500));
        if (status !== 204)
          throw new Error(`Directus DELETE ${collection}: ${status} ${JSON.stringify(data)}`);
      }
    }
  }
}

/**
 * The tests' one polling helper (packages/core/src/testing/eventually.ts) and their product create
 * body (packages/core/src/testing/product-fields.ts).
 */
export { eventually, productCreateBody } from '@lapak/core/testing';

export interface Stack {
  readonly config: Config;
  readonly api: RunningApi;
  readonly worker: RunningWorker;
  /** The API's admin token (ADMIN_API_TOKEN of this stack). */
  readonly adminToken: string;
  /** Directus as its admin. */
  readonly directus: DirectusClient;
  readonly cms: ReturnType<typeof cms>;
  /**
   * Stops the worker and starts it again with `overrides` over its config (as a deploy restarts
   * the workers with a new environment, e.g. SYNC_FLOW_VERSION); the API keeps running.
   */
  restartWorker(overrides: Partial<Config>): Promise<void>;
  /**
   * Runs the reconciliation now, as the scheduled job would, recent rows included, for the
   * stack's flow version unless told another (the one the worker was last switched to).
   */
  reconcile(options?: {
    dryRun?: boolean;
    retentionDays?: number;
    flowVersion?: string;
  }): Promise<ReconcileReport>;
}

/**
 * Starts the API and the worker on the file's test env, wired to the shared Directus and n8n,
 * for the calling test file (after emptying Directus's catalog); stops them after the file.
 */
export function useStack(env: TestEnv, overrides: Partial<Config> = {}): Stack {
  let config: Config | undefined;
  let api: RunningApi | undefined;
  let worker: RunningWorker | undefined;
  let directus: DirectusClient | undefined;
  const shared = cms();

  beforeAll(async () => {
    config = stackConfig(env.config, overrides);
    directus = new DirectusClient(shared.directusUrl, shared.directusAdminToken);
    await directus.emptyCatalog();
    api = await startApi(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useStack: ${what} is ready only inside tests and hooks`);
    return value;
  };
  return {
    get config() {
      return ready(config, 'config');
    },
    get api() {
      return ready(api, 'api');
    },
    get worker() {
      return ready(worker, 'worker');
    },
    get adminToken() {
      return ready(config, 'config').ADMIN_API_TOKEN!;
    },
    get directus() {
      return ready(directus, 'directus');
    },
    cms: shared,
    async restartWorker(changes) {
      await ready(worker, 'worker').close();
      worker = undefined;
      config = { ...ready(config, 'config'), ...changes };
      worker = await startWorker(config);
    },
    reconcile: (options = {}) =>
      reconcileCatalog({
        orm: env.orm,
        flowVersion: ready(config, 'config').SYNC_FLOW_VERSION,
        directusUrl: shared.directusUrl,
        directusToken: shared.directusSyncToken,
        graceMs: 0,
        ...options,
      }),
  };
}
