import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'bullmq';
import { afterEach } from 'vitest';
import {
  createLogger,
  createRedis,
  orderStatusChannel,
  type Config,
  type OrderStatusEvent,
  type Redis,
} from '@lapak/core';
import type { TestEnv } from '@lapak/core/testing';
import { createWorkerDeps, type WorkerDeps } from '../deps';

const workerMain = fileURLToPath(new URL('../main.ts', import.meta.url));
/** tsx as a loader in the worker's own Node process (the tsx CLI would put a wrapper process in between). */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Keeps a child worker away from any n8n or Directus that happens to run on this machine's
 * default ports: its catalog sync delivers nowhere and reconciles never.
 */
const noCms = {
  N8N_URL: 'http://127.0.0.1:1',
  DIRECTUS_URL: 'http://127.0.0.1:1',
  SYNC_RECONCILE_EVERY_MS: '0',
};

/** The config as environment variables, for a child process (cut off from any CMS). */
export function configEnv(config: Config, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [key, value] of Object.entries(config)) if (value !== undefined) env[key] = String(value);
  return { ...env, ...noCms, ...overrides };
}

/** Worker deps on `config` in this process (its own ORM, Redis connections and queues). */
export async function inProcessDeps(config: Config): Promise<WorkerDeps> {
  return createWorkerDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
}

/** Starts BullMQ workers made by `start` on a connection of their own; `close` stops them. */
export async function runWorkers(
  deps: WorkerDeps,
  start: (deps: WorkerDeps, connection: Redis) => Promise<Worker[]> | Worker[],
): Promise<{ workers: Worker[]; close(): Promise<void> }> {
  const connection = createRedis(deps.config.REDIS_URL, 'worker');
  const workers = await start(deps, connection);
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}

/**
 * What a worker test file opens in this process, closed after each test, the last opened first:
 * worker deps on a Redis prefix of the test's own (so each test has its own queues), BullMQ
 * workers on them, order status listeners, and whatever else is handed to `defer`.
 */
export function useWorkerDeps(env: TestEnv) {
  const opened: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0).reverse()) await close();
  });
  const defer = (close: () => Promise<void> | void) => void opened.push(close);
  const closedAfterTest = <T extends { close(): Promise<void> | void }>(thing: T): T => {
    defer(() => thing.close());
    return thing;
  };
  return {
    defer,
    deps: async (overrides: Partial<Config> = {}): Promise<WorkerDeps> =>
      closedAfterTest(
        await inProcessDeps({
          ...env.config,
          REDIS_PREFIX: `${env.config.REDIS_PREFIX}-${env.unique('w')}`,
          ...overrides,
        }),
      ),
    run: async (...args: Parameters<typeof runWorkers>) => closedAfterTest(await runWorkers(...args)),
    statuses: async (config: Config) => closedAfterTest(await listenToStatuses(config)),
  };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly metricsPort: number;
  /** Everything the process wrote, for assertions and for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
}

/**
 * Runs `worker/src/main.ts` (or another `script` that logs the same start line) with tsx as a
 * real child process with `env`, and resolves once it says it started.
 */
export async function spawnWorker(
  env: NodeJS.ProcessEnv,
  options: { script?: string; timeoutMs?: number } = {},
): Promise<WorkerProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', tsxLoader, options.script ?? workerMain], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test run, whatever happens to it.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', reap);
      resolve(signal ?? code ?? -1);
    }),
  );
  const metricsPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const started = /"metricsPort":(\d+).*"msg":"worker started"/.exec(output);
      if (started) {
        clearTimeout(timer);
        resolve(Number(started[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${how}) before it started:\n${output}`));
    });
  });
  return { child, metricsPort, output: () => output, exited };
}

/** Stops a worker process if it still runs (SIGKILL), and waits for it to end. */
export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}

/**
 * Worker processes for one test file: `start` runs `worker/src/main.ts` (spawnWorker) with the
 * config `config()` gives as its environment, logging at info and its metrics on a free port,
 * then `overrides`. After each test every process still running is stopped with `stopSignal`
 * (SIGKILL unless told otherwise).
 */
export function useWorkerProcesses(config: () => Config, options: { stopSignal?: NodeJS.Signals } = {}) {
  const running: WorkerProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((worker) => stopWorker(worker, options.stopSignal)));
  });
  return {
    async start(overrides: Record<string, string> = {}): Promise<WorkerProcess> {
      const env = configEnv(config(), { LOG_LEVEL: 'info', WORKER_METRICS_PORT: '0', ...overrides });
      const worker = await spawnWorker(env);
      running.push(worker);
      return worker;
    },
  };
}

/** Collects every order status message published on the deployment's channel. */
export async function listenToStatuses(
  config: Config,
): Promise<{ events: OrderStatusEvent[]; close(): void }> {
  const subscriber = createRedis(config.REDIS_URL, 'worker');
  const events: OrderStatusEvent[] = [];
  subscriber.on('message', (_channel: string, message: string) => events.push(JSON.parse(message)));
  await subscriber.subscribe(orderStatusChannel(config.REDIS_PREFIX));
  return { events, close: () => subscriber.disconnect() };
}
