import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { eventually } from '@lapak/core/testing';

/**
 * A long-running service (Directus, n8n) started as its own process group, with its output
 * appended to a log file; `stop` ends the whole group (n8n's task runner included), `start`
 * starts it again with the same command.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: {
      env: NodeJS.ProcessEnv;
      cwd?: string;
      logFile: string;
      ready: () => Promise<boolean>;
      readyTimeoutMs: number;
    },
  ) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.log.write(`\n--- ${new Date().toISOString()} starting ${this.name}\n`);
    const child = spawn(this.command, this.args, {
      env: this.options.env,
      cwd: this.options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(
          new Error(`${this.name} exited while starting (${signal ?? code}); see ${this.options.logFile}`),
        ),
      ),
    );
    exited.catch(() => {});
    await Promise.race([
      eventually(`${this.name} to be ready`, this.options.ready, this.options.readyTimeoutMs, 250),
      exited,
    ]);
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running || child.pid === undefined) return;
    this.log.write(`\n--- ${new Date().toISOString()} stopping ${this.name}\n`);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // Children of the group that outlived the leader (n8n's task runner).
    signal('SIGKILL');
    this.child = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
