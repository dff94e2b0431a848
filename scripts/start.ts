/**
 * The native run command (`pnpm start`): checks PostgreSQL and Redis, creates and migrates the
 * database, starts every service of the system, prints where they are and stops them on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { loadConfig } from '@lapak/core';
import { checkServices } from '@lapak/core/testing';

const config = loadConfig();
const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
if (problem) {
  console.error(problem);
  process.exit(1);
}

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (!rowCount) {
    console.log(`creating database ${name}`);
    await client.query(`create database "${name.replace(/"/g, '')}"`);
  }
  await client.end();
}

function run(name: string, args: string[]): ChildProcess {
  const child = spawn('pnpm', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
    detached: false,
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

await ensureDatabase(config.DATABASE_URL);
await new Promise<void>((resolve, reject) => {
  const migrate = spawn('pnpm', ['--silent', 'migrate'], { stdio: 'inherit' });
  migrate.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`migrations failed (${code})`))));
});

children.push(run('api', ['--silent', '--filter', '@lapak/api', 'start']));
children.push(run('worker', ['--silent', '--filter', '@lapak/worker', 'start']));

console.log(`
Lapak is starting:
  API         http://${config.API_HOST}:${config.API_PORT}/api/v1   (health: /healthz, metrics: /metrics)
  Worker      metrics on :${config.WORKER_METRICS_PORT}
Press Ctrl-C to stop everything.
`);
