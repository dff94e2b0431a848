import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Sees each line of output as it comes (it goes to the log file too). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Makes the spec for a restart (a port handed out afresh, say); the same spec otherwise. */
  refresh?: () => Promise<ServiceSpec>;
}

/**
 * When a service that exited by itself is started again, as docker compose's `restart` and
 * Kubernetes do: after `baseDelayMs`, doubling up to `maxDelayMs` while it keeps failing fast
 * (running less than `stableMs`), and not after `maxFastFailures` fast failures in a row.
 */
export interface RestartPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  stableMs: number;
  maxFastFailures: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  stableMs: 30_000,
  maxFastFailures: 5,
};

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  exited: Promise<void>;
  logPath: string;
  startedAt: number;
}

/** True while any process of the process group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The long-running services of one run. Each starts in a process group of its own, so stopping
 * it signals everything it started (pnpm → tsx → node, n8n's task runner…), and output goes to a
 * log file per service. Until `keepRunning()`, a service that exits is reported at once
 * (`onUnexpectedExit`: the start failed); after it, it is restarted by the restart policy and
 * reported only when the policy gives up.
 */
export class Services {
  private readonly running: Running[] = [];
  private stopping = false;
  private restarting = false;
  private readonly fastFailures = new Map<string, number>();
  /** Called once if a service exits while the others run and is not restarted. */
  onUnexpectedExit: (name: string, detail: string) => void = () => {};
  /** Called when a service that exited is about to be started again. */
  onRestart: (name: string, detail: string, delayMs: number) => void = () => {};

  constructor(
    private readonly logDir: string,
    private readonly policy: RestartPolicy = defaultRestartPolicy,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  /** Starts a long-running service; if it exits before stopAll, see the class comment. */
  start(spec: ServiceSpec): ChildProcess {
    return this.launch(spec, 'service');
  }

  /** From now on a service that exits by itself is restarted (the system is up). */
  keepRunning(): void {
    this.restarting = true;
  }

  private exitedByItself(entry: Running, detail: string): void {
    const { name } = entry.spec;
    if (!this.restarting) return this.onUnexpectedExit(name, detail);
    const ranMs = Date.now() - entry.startedAt;
    const failures = ranMs < this.policy.stableMs ? (this.fastFailures.get(name) ?? 0) + 1 : 1;
    this.fastFailures.set(name, failures);
    if (failures > this.policy.maxFastFailures) {
      return this.onUnexpectedExit(
        name,
        `${detail}; it failed ${failures} times in a row within ${Math.round(this.policy.stableMs / 1000)} s of starting`,
      );
    }
    const delayMs = Math.min(this.policy.baseDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs);
    this.onRestart(name, detail, delayMs);
    setTimeout(() => {
      if (this.stopping) return;
      void (async () => {
        const spec = entry.spec.refresh
          ? { ...(await entry.spec.refresh()), refresh: entry.spec.refresh }
          : entry.spec;
        if (this.stopping) return;
        this.running.splice(this.running.indexOf(entry), 1);
        this.launch(spec, 'service');
      })().catch((error: unknown) =>
        this.onUnexpectedExit(name, `could not be restarted: ${(error as Error).message}`),
      );
    }, delayMs).unref();
  }

  private launch(spec: ServiceSpec, kind: 'service' | 'step'): ChildProcess {
    const logPath = join(this.logDir, `${spec.name}.log`);
    const log = createWriteStream(logPath, { flags: 'a' });
    log.write(`\n--- ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    if (spec.onLine) {
      const onLine = spec.onLine;
      for (const stream of ['stdout', 'stderr'] as const) {
        createInterface({ input: child[stream]! }).on('line', (line) => onLine(line, stream));
      }
    }
    // Its output is all in the log once both pipes have ended; a grandchild holding them open
    // (n8n's task runner) must not keep the log from closing, hence the bound below.
    const drained = Promise.all(
      [child.stdout!, child.stderr!].map((stream) => once(stream, 'end').catch(() => undefined)),
    );
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        void (async () => {
          // The last words of a process that fails at start (why it failed) are still in its pipes.
          await Promise.race([drained, sleep(2000)]);
          child.stdout!.unpipe(log);
          child.stderr!.unpipe(log);
          await new Promise<void>((done) => log.end(`--- exited (${signal ?? code})\n`, done));
          if (kind === 'service' && !this.stopping) {
            this.exitedByItself(entry, `exited (${signal ?? code}); see ${logPath}`);
          }
          resolve();
        })();
      });
      child.once('error', (error) => {
        log.end(`--- failed to start: ${error.message}\n`);
        if (kind === 'service' && !this.stopping) {
          this.exitedByItself(entry, `failed to start: ${error.message}`);
        }
        resolve();
      });
    });
    const entry: Running = { spec, child, exited, logPath, startedAt: Date.now() };
    this.running.push(entry);
    return child;
  }

  /**
   * Runs a one-off step (an install, a bootstrap, a deploy) to its end, in its own process group
   * too, so that stopping during a long first run leaves nothing behind. Rejects with the end of
   * its log on a non-zero exit.
   */
  async run(spec: ServiceSpec): Promise<void> {
    if (this.stopping) throw new Error('stopping');
    const child = this.launch(spec, 'step');
    const entry = this.running.at(-1)!;
    await entry.exited;
    this.running.splice(this.running.indexOf(entry), 1);
    if (child.exitCode !== 0) {
      throw new Error(
        `${spec.name} failed (${child.signalCode ?? child.exitCode}); see ${entry.logPath}\n${this.tail(entry)}`,
      );
    }
  }

  /** The last lines of a service's log, for a message about why it did not come up. */
  tail(nameOrEntry: string | Running, lines = 20): string {
    const entry =
      typeof nameOrEntry === 'string'
        ? this.running.find((item) => item.spec.name === nameOrEntry)
        : nameOrEntry;
    if (!entry) return '';
    try {
      return readFileSync(entry.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** True while the service `name` has been started and has not exited. */
  isRunning(name: string): boolean {
    const entry = this.running.find((item) => item.spec.name === name);
    return !!entry && entry.child.exitCode === null && entry.child.signalCode === null;
  }

  logPath(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  /**
   * Stops every service and step: SIGTERM to each one's process group, then SIGKILL to whatever
   * of a group is left after `graceMs`. Resolves when no process of any group is left.
   */
  async stopAll(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.running.map(async (entry) => {
        const pgid = entry.child.pid;
        if (pgid === undefined) return;
        try {
          process.kill(-pgid, 'SIGTERM');
        } catch {
          // already gone
        }
        const deadline = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
        if (groupAlive(pgid)) {
          try {
            process.kill(-pgid, 'SIGKILL');
          } catch {
            // gone in between
          }
          while (groupAlive(pgid)) await sleep(50);
        }
        await entry.exited;
      }),
    );
  }
}

/** Polls `url` until it answers 2xx, or throws after `timeoutMs` naming what it last saw. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  isDone?: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const gone = isDone?.();
    if (gone) throw new Error(gone);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}

/** A port on 127.0.0.1 that nothing listens on now, as the system hands out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
