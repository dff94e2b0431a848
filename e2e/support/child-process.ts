import { spawn, type ChildProcess } from 'node:child_process';
import { eventually } from '@lapak/core/testing';

/** A child process of a test or benchmark, with the tail of what it wrote (for failure messages). */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  output(): string;
}

/** Starts `command` as a child; it is killed if this process exits first. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return { name, process: child, output: () => output };
}

/** Runs `command` to its end; throws with its output's tail unless it exits 0. */
export async function runChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<void> {
  const child = startChild(name, command, args, options);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  // 'close', not 'exit': the output that says why it failed may still be in the pipes at exit.
  const code = await new Promise<number | string>((resolve, reject) => {
    child.process.once('error', reject);
    child.process.once('close', (exit, signal) => resolve(signal ?? exit ?? -1));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.output().slice(-3000)}`);
}

const ended = (child: Child) => child.process.exitCode !== null || child.process.signalCode !== null;

/** Stops a child with SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: Child | undefined, graceMs = 10_000): Promise<void> {
  if (!child || ended(child)) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `ready` until it is true; throws at once if `child` exits first, or after `timeoutMs`. */
export async function waitUntil(
  child: Child,
  ready: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const tail = () => child.output().slice(-3000);
  const exitError = () =>
    new Error(`${child.name} exited with ${child.process.signalCode ?? child.process.exitCode}:\n${tail()}`);
  if (ended(child)) throw exitError();
  const exited = new Promise<never>((_, reject) => child.process.once('exit', () => reject(exitError())));
  exited.catch(() => {});
  try {
    await Promise.race([eventually(`${child.name} to be ready`, ready, timeoutMs, 250), exited]);
  } catch (error) {
    throw ended(child) ? error : new Error(`${(error as Error).message}:\n${tail()}`);
  }
}
