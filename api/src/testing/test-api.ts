import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import type { TestEnv } from '@lapak/core/testing';
import { createLogger } from '@lapak/core';
import { createApp } from '../app';
import { createApiDeps, type ApiDeps } from '../deps';
import { startMetricsServer, type MetricsServer } from '../http/metrics-server';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  raw?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  readonly url: string;
  /** Where this API's `/metrics` is served: its own port, as API_METRICS_PORT gives in production. */
  readonly metricsUrl: string;
  readonly deps: ApiDeps;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
}

/** Starts the real API (real PostgreSQL, Redis, HTTP) on a free port for the calling test file. */
export function useTestApi(env: TestEnv): TestApi {
  let server: Server | undefined;
  let metricsServer: MetricsServer | undefined;
  let deps: ApiDeps | undefined;
  let url = '';

  beforeAll(async () => {
    deps = await createApiDeps(env.config, createLogger({ level: env.config.LOG_LEVEL, name: 'api' }));
    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    metricsServer = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: deps.metrics,
      logger: deps.logger,
    });
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await metricsServer?.close();
    await deps?.close();
  });

  return {
    get url() {
      return url;
    },
    get metricsUrl() {
      if (!metricsServer) throw new Error('useTestApi: metricsUrl is ready only inside tests and hooks');
      return `http://127.0.0.1:${metricsServer.port}`;
    },
    get deps() {
      if (!deps) throw new Error('useTestApi: deps are ready only inside tests and hooks');
      return deps;
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | Buffer | undefined = options.raw;
      if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as never, text };
    },
  };
}
