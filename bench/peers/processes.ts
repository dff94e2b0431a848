import { spawn, type ChildProcess } from 'node:child_process';
import { databaseUrl, query } from '../../scripts/start/database';

/** A child process of the benchmark, with the tail of what it wrote (for failure messages). */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  output(): string;
}

/** Starts `command` as a child; it is killed if the benchmark exits first. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
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
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<void> {
  const child = startChild(name, command, args, options);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  const code = await new Promise<number | string>((resolve) =>
    child.process.once('exit', (exit, signal) => resolve(signal ?? exit ?? -1)),
  );
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.output().slice(-3000)}`);
}

/** Stops a child with SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: Child | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `ready` until it is true; throws if `child` exits first or after `timeoutMs`. */
export async function waitUntil(
  child: Child,
  ready: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.output().slice(-3000)}`);
    }
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.output().slice(-3000)}`);
}

/** Drops (if there) and creates a database for a peer, through the server's `postgres` database. */
export async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = databaseUrl(serverUrl, 'postgres');
  await query(admin, `drop database if exists "${database}" with (force)`);
  await query(admin, `create database "${database}"`);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await query(databaseUrl(serverUrl, 'postgres'), `drop database if exists "${database}" with (force)`);
}

/** The pids of the PostgreSQL backends serving one database. */
export async function backendPids(serverUrl: string, database: string): Promise<number[]> {
  const rows = await query<{ pid: number }>(
    databaseUrl(serverUrl, 'postgres'),
    'select pid from pg_stat_activity where datname = $1',
    [database],
  );
  return rows.map((row) => row.pid);
}
