/**
 * The README's run command, as a newcomer runs it: `pnpm start` from the checkout (ports moved
 * away from the defaults and from the e2e setup's own Directus and n8n, its own databases, Redis
 * prefix and state folder). The first run is waited for until it says it runs; the storefront is
 * loaded in Chromium and the API called; Ctrl-C (SIGINT to its process group) stops it, and
 * nothing it started may be left: no process, no open port. A second run on the same state must
 * skip what is unchanged and be up in seconds. Without PostgreSQL or Redis it must say which one
 * is missing and stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, loadConfig } from '@lapak/core';
import { artifactsDir, launchChromium, screenshots, watchConsole } from './storefront/browser';
import { descendants, envOf, processesWithEnv, stillRunning, type ProcessInfo } from './support/process-tree';
import { freePort } from '../scripts/start/processes';
import { eventually } from './support/stack';

const root = resolve(import.meta.dirname, '..');
const run = randomBytes(4).toString('hex');
const base = loadConfig();
const database = `lapak_run_${run}`;
const redisPrefix = `lapak-run-${run}`;
const dataDir = mkdtempSync(join(tmpdir(), 'lapak-run-'));

function isOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const ports = {
  api: await freePort(),
  worker: await freePort(),
  web: await freePort(),
  directus: await freePort(),
  n8n: await freePort(),
  smtp: await freePort(),
  mail: await freePort(),
};
const dbUrl = new URL(base.DATABASE_URL);
dbUrl.pathname = `/${database}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  DATABASE_URL: dbUrl.toString(),
  REDIS_PREFIX: redisPrefix,
  API_PORT: String(ports.api),
  WORKER_METRICS_PORT: String(ports.worker),
  WEB_PORT: String(ports.web),
  DIRECTUS_URL: `http://127.0.0.1:${ports.directus}`,
  N8N_URL: `http://127.0.0.1:${ports.n8n}`,
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(ports.smtp),
  MAILDEV_WEB_PORT: String(ports.mail),
  LAPAK_DATA_DIR: dataDir,
  // Marks every process of this run, so that the test finds any left behind.
  LAPAK_RUN_MARK: run,
  // A change waiting for a restarted Directus or n8n is retried at least every 10 s.
  SYNC_RETRY_MAX_MS: '10000',
};
delete env.API_PUBLIC_URL;
delete env.CORS_ORIGINS;

const ready = 'Press Ctrl-C to stop everything.';

/** One `pnpm start` in a process group of its own, with its output kept. */
class RunCommand {
  readonly child: ChildProcess;
  output = '';
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process writing to the command's output has ended and its last words are in. */
  readonly closed: Promise<void>;
  readonly startedAt = Date.now();
  /** Everything the command had started, taken just before it was stopped. */
  started: ProcessInfo[] = [];
  /** The ports the command chose itself (n8n's task broker), taken just before it was stopped. */
  ownPorts: Record<string, number> = {};

  constructor(extraEnv: NodeJS.ProcessEnv = {}) {
    this.child = spawn('pnpm', ['start'], {
      cwd: root,
      env: { ...env, ...extraEnv },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exit = new Promise((done) => this.child.once('exit', (code, signal) => done({ code, signal })));
    this.closed = new Promise((done) => this.child.once('close', () => done()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the output holds `text`; fails if the command ends first or time runs out. */
  waitFor(text: string, timeoutMs: number): Promise<void> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        fail(
          new Error(`no "${text}" within ${timeoutMs / 1000} s; output so far:\n${this.output.slice(-4000)}`),
        );
      }, timeoutMs);
      const check = () => {
        if (!this.output.includes(text)) return;
        clearTimeout(timer);
        done();
      };
      this.child.stdout!.on('data', check);
      void this.exit.then(({ code, signal }) => {
        clearTimeout(timer);
        if (!this.output.includes(text)) {
          fail(
            new Error(`pnpm start ended (${signal ?? code}) before "${text}":\n${this.output.slice(-4000)}`),
          );
        }
      });
      check();
    });
  }

  /** Ctrl-C: SIGINT to the command's process group; resolves once the command has ended. */
  async interrupt(timeoutMs = 90_000) {
    this.started = descendants(this.child.pid!);
    for (const info of this.started) {
      const broker = envOf(info.pid, 'N8N_RUNNERS_BROKER_PORT');
      if (broker) this.ownPorts.n8nBroker = Number(broker);
    }
    process.kill(-this.child.pid!, 'SIGINT');
    const result = await Promise.race([
      this.exit,
      new Promise<null>((done) => setTimeout(() => done(null), timeoutMs)),
    ]);
    if (!result)
      throw new Error(`still running ${timeoutMs / 1000} s after SIGINT:\n${this.output.slice(-2000)}`);
    // The script's last lines, and the services' own process groups, may come after pnpm's end.
    await Promise.race([this.closed, new Promise((done) => setTimeout(done, 120_000))]);
    const deadline = Date.now() + 120_000;
    while (stillRunning(this.started).length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    return result;
  }

  /** Whatever happened, leave nothing of this command behind. */
  kill() {
    if (this.child.pid && this.running) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const info of stillRunning(this.started)) {
      try {
        process.kill(info.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/**
 * pnpm, interrupted itself along with its script, ends by the signal (or 130) whatever the
 * script's own exit code; the script's own "Stopped." says that it stopped cleanly.
 */
function expectInterrupted(result: { code: number | null; signal: NodeJS.Signals | null }) {
  expect(result.signal === 'SIGINT' || result.code === 0 || result.code === 130, JSON.stringify(result)).toBe(
    true,
  );
}

/** Nothing of `command` may run any more, and no port of the run may be open. */
async function expectNothingLeft(command: RunCommand) {
  expect(command.output).toContain('Stopped.');
  expect(stillRunning(command.started).map((info) => info.command)).toEqual([]);
  expect(processesWithEnv('LAPAK_RUN_MARK', run).map((info) => info.command)).toEqual([]);
  expect(command.ownPorts.n8nBroker, 'n8n task broker port').toBeGreaterThan(0);
  for (const [name, port] of Object.entries({ ...ports, ...command.ownPorts })) {
    expect(await isOpen(port), `${name} port ${port}`).toBe(false);
  }
}

const commands: RunCommand[] = [];
function start(extraEnv?: NodeJS.ProcessEnv): RunCommand {
  const command = new RunCommand(extraEnv);
  commands.push(command);
  return command;
}

afterAll(async () => {
  // Each command's output, for reading after a failure (e2e/artifacts/run-command/).
  const outputs = join(artifactsDir, '../run-command');
  mkdirSync(outputs, { recursive: true });
  for (const [index, command] of commands.entries()) {
    writeFileSync(join(outputs, `pnpm-start-${index + 1}.log`), command.output);
  }
  for (const command of commands) command.kill();
  for (const info of processesWithEnv('LAPAK_RUN_MARK', run)) {
    try {
      process.kill(info.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const admin = new pg.Client({ connectionString: new URL('/postgres', base.DATABASE_URL).toString() });
  await admin.connect();
  for (const name of [database, `${database}_directus`]) {
    await admin.query(`drop database if exists "${name}" with (force)`);
  }
  await admin.end();
  const redis = createRedis(base.REDIS_URL, 'producer');
  await new Promise<void>((done, fail) => {
    redis.once('ready', () => done());
    redis.once('error', fail);
  });
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('pnpm start without PostgreSQL or Redis', () => {
  it('names PostgreSQL, where it looked and how to get it, and stops', async () => {
    const command = start({ DATABASE_URL: `postgres://postgres@127.0.0.1:1/${database}` });
    expect(await command.exit).toEqual({ code: 1, signal: null });
    expect(command.output).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    expect(command.output).toContain('DATABASE_URL');
    expect(command.output).not.toContain('Lapak: starting');
  });

  it('names Redis when only Redis is missing', async () => {
    const command = start({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await command.exit).toEqual({ code: 1, signal: null });
    expect(command.output).toMatch(/Redis is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    expect(command.output).toContain('REDIS_URL');
  });
});

describe('pnpm start (the native run command)', () => {
  let first: RunCommand;
  let browser: Browser | undefined;

  beforeAll(async () => {
    first = start();
    // A first run on this machine installs Directus and n8n (minutes); later ones reuse them.
    await first.waitFor(ready, 20 * 60_000);
    process.stderr.write(`run-command: first start ready in ${(Date.now() - first.startedAt) / 1000} s\n`);
  }, 21 * 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows progress and prints where everything is and the demo logins', () => {
    expect(first.output).toMatch(/✓ databases: created lapak_run_\w+, lapak_run_\w+_directus/);
    expect(first.output).toMatch(/✓ storefront build: built/);
    expect(first.output).toContain(`Storefront  http://127.0.0.1:${ports.web}`);
    expect(first.output).toContain(`http://127.0.0.1:${ports.api}/api/v1`);
    expect(first.output).toContain(`Directus    http://127.0.0.1:${ports.directus}/admin`);
    expect(first.output).toContain(`Mail inbox  http://127.0.0.1:${ports.mail}`);
    expect(first.output).toMatch(/Shopper\s+\S+@\S+ \/ \S+/);
    expect(first.output).toMatch(/Content editor\s+\S+@\S+ \/ \S+/);
    expect(first.output).toMatch(/n8n owner\s+admin@lapak\.example\.com \/ lapak-admin-password/);
  });

  it('makes the n8n owner from its settings and gives n8n none of the API’s settings', async () => {
    const n8n = `http://127.0.0.1:${ports.n8n}`;
    // No owner setup waits for the first visitor: the owner exists and can log in.
    const settings = (await (await fetch(`${n8n}/rest/settings`)).json()) as {
      data: { userManagement: { showSetupOnFirstLoad: boolean } };
    };
    expect(settings.data.userManagement.showSetupOnFirstLoad).toBe(false);
    const login = await fetch(`${n8n}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        emailOrLdapLoginId: 'admin@lapak.example.com',
        password: 'lapak-admin-password',
      }),
    });
    expect(login.status).toBe(200);
    // What a flow's $env would show: the environment of the n8n process.
    const n8nProcess = descendants(first.child.pid!).find((info) => info.command.includes('n8n start'));
    expect(n8nProcess).toBeDefined();
    for (const name of [
      'DATABASE_URL',
      'REDIS_PREFIX',
      'API_PORT',
      'N8N_ENCRYPTION_KEY',
      'N8N_OWNER_PASSWORD',
    ]) {
      expect(envOf(n8nProcess!.pid, name), name).toBeUndefined();
    }
    expect(envOf(n8nProcess!.pid, 'LAPAK_DIRECTUS_URL')).toBe(`http://127.0.0.1:${ports.directus}`);
  });

  it('serves the storefront’s production build, which shows the demo catalog from Directus', async () => {
    const response = await fetch(`http://127.0.0.1:${ports.web}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<div id="app"/);
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/[^"]+\.js"/);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const console = watchConsole(context, 'run-command');
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${ports.web}/`);
    await page.getByTestId('product-card').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('product-card').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('results-count').textContent()).toMatch(/\d+ products/);
    // Every demo product went API → worker → n8n → Directus and got its editor content there,
    // with a picture served by Directus's assets.
    expect(first.output).not.toContain('had not reached Directus');
    const src = await page.getByTestId('product-card').first().locator('img').getAttribute('src');
    expect(src).toContain(`http://127.0.0.1:${ports.directus}/assets/`);
    // Prices in rupiah, read in ISO 4217's two minor units: Rp 120,000 is `priceCents` 12,000,000.
    const cardName = (await page
      .getByTestId('product-card')
      .first()
      .locator('h3, h2')
      .first()
      .textContent())!;
    const listed = (await (
      await fetch(`http://127.0.0.1:${ports.api}/api/v1/products?limit=100`)
    ).json()) as { items: { name: string; priceCents: number }[] };
    const rupiah = listed.items.find((item) => item.name === cardName.trim())!.priceCents / 100;
    const priceText = await page.getByTestId('product-card').first().textContent();
    expect(priceText).toMatch(new RegExp(`IDR\\s${rupiah.toLocaleString('en-US')}(?!\\d|,)`));
    expect(await screenshots(page, 'run-command-catalog')).toEqual({ phone: 0, desktop: 0 });
    await context.close();
    expect(console.unexpected).toEqual([]);
  });

  it('answers on the API, ready, with the demo catalog', async () => {
    const api = `http://127.0.0.1:${ports.api}`;
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${api}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ status: 'ready' });
    const products = (await (await fetch(`${api}/api/v1/products?limit=100`)).json()) as {
      items: { sku: string; currency: string; status: string }[];
    };
    const skus = products.items.map((product) => product.sku);
    expect(skus).toEqual(expect.arrayContaining(['KOPI-GAYO-250', 'BATIK-PARANG-2M', 'BUMBU-RENDANG-200']));
    expect(products.items.every((product) => product.currency === 'IDR')).toBe(true);
    const categories = (await (await fetch(`${api}/api/v1/categories?limit=100`)).json()) as {
      items: { slug: string }[];
    };
    expect(categories.items.map((category) => category.slug)).toContain('kopi-teh');
  });

  it('lets the demo shopper log in', async () => {
    const [, email, password] = first.output.match(/Shopper\s+(\S+) \/ (\S+)/)!;
    const response = await fetch(`http://127.0.0.1:${ports.api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
  });

  it('brings back the worker, the API, Directus and n8n when each dies, and loses no change', async () => {
    const api = `http://127.0.0.1:${ports.api}`;
    const [, email, password] = first.output.match(/Admin\s+(\S+) \/ (\S+)/)!;
    const login = (await (
      await fetch(`${api}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
    ).json()) as { token: string };
    const { items } = (await (await fetch(`${api}/api/v1/products?limit=1&status=published`)).json()) as {
      items: { id: string }[];
    };
    const productId = items[0]!.id;
    const rename = async (name: string) => {
      const response = await fetch(`${api}/api/v1/products/${productId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: JSON.stringify({ name }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
    };
    const inDirectus = (name: string) =>
      eventually(
        `"${name}" in Directus`,
        async () => {
          const response = await fetch(`http://127.0.0.1:${ports.directus}/items/products/${productId}`);
          return response.ok && ((await response.json()) as { data: { name: string } }).data.name === name;
        },
        240_000,
        500,
      );
    const services = [
      { name: 'worker', marker: 'worker/src/main.ts', health: `http://127.0.0.1:${ports.worker}/readyz` },
      { name: 'api', marker: 'api/src/main.ts', health: `${api}/readyz` },
      { name: 'directus', marker: 'cli.js start', health: `http://127.0.0.1:${ports.directus}/server/ping` },
      { name: 'n8n', marker: 'n8n start', health: `http://127.0.0.1:${ports.n8n}/healthz/readiness` },
    ];
    for (const [index, service] of services.entries()) {
      const victim = descendants(first.child.pid!).find((info) => info.command.includes(service.marker));
      expect(victim, service.marker).toBeDefined();
      // A crash: the service's whole process group dies at once, with no chance to clean up.
      process.kill(-victim!.pgid, 'SIGKILL');
      const name = `Kopi ${service.name} ${index}`;
      // While it is down (the API: once it is back), a change is made; it must reach Directus.
      if (service.name !== 'api') await rename(name);
      const restarted = new RegExp(`${service.name} exited \\(SIGKILL\\); see \\S+; restarting it in \\d+ s`);
      await eventually(`${service.name} restarted`, () => restarted.test(first.output));
      await eventually(
        `${service.name} answering again`,
        async () => (await fetch(service.health).catch(() => null))?.ok,
        180_000,
        500,
      );
      if (service.name === 'api') await rename(name);
      await inDirectus(name);
    }
    expect(first.running).toBe(true);
  }, 900_000);

  it('stops everything it started on Ctrl-C', async () => {
    const commandLines = descendants(first.child.pid!)
      .map((info) => info.command)
      .join('\n');
    // API, worker, storefront, Directus and n8n all run below the command.
    for (const part of [
      'api/src/main.ts',
      'worker/src/main.ts',
      'vite.js preview',
      'cli.js start',
      'n8n start',
    ]) {
      expect(commandLines, part).toContain(part);
    }
    expect(processesWithEnv('LAPAK_RUN_MARK', run).length).toBeGreaterThan(0);

    expectInterrupted(await first.interrupt());
    await expectNothingLeft(first);
  }, 300_000);

  it('starts again in seconds, skipping what did not change, and stops again', async () => {
    const second = start();
    await second.waitFor(ready, 180_000);
    const seconds = (Date.now() - second.startedAt) / 1000;
    process.stderr.write(`run-command: second start ready in ${seconds} s\n`);
    for (const line of [
      '✓ databases: present',
      '✓ migrations: up to date',
      '✓ storefront build: unchanged, skipped',
      '✓ Directus database: bootstrapped before',
      '✓ Directus schema, roles and sync user: unchanged, skipped',
      '✓ n8n flows: unchanged, skipped',
    ]) {
      expect(second.output).toContain(line);
    }
    // Most of it is Directus and n8n booting on two cores.
    expect(seconds).toBeLessThan(90);
    expect((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.web}/`)).status).toBe(200);

    expectInterrupted(await second.interrupt());
    await expectNothingLeft(second);
  }, 300_000);
});
