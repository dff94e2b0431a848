import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogProduct } from './catalog';
import type { HotProductCount } from './system';
import { databaseUrl, query } from '../../scripts/start/database';
import { runChild, startChild, stopChild, waitUntil, type Child } from '../../e2e/support/child-process';
import { backendPids, dropDatabase, recreateDatabase } from './databases';

/**
 * A peer installed in `home` (by install-peers.sh) with a database `database` of its own on the
 * server `serverUrl`; every command it runs is `node` in `home` with the settings `env`, in
 * production mode, and nothing of our environment but PATH and HOME.
 */
export interface PeerSetup {
  /** Its name in the log and in its processes' names, e.g. "medusa". */
  name: string;
  home: string;
  serverUrl: string;
  database: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/**
 * Readies `home` and the database for a peer: our files for it (the `.mjs` files of `ours`)
 * copied in, the catalog written as catalog.json, the database created afresh. Returns the
 * catalog's path.
 */
export async function preparePeer(options: {
  home: string;
  ours: string;
  catalog: CatalogProduct[];
  serverUrl: string;
  database: string;
}): Promise<string> {
  const { home, ours } = options;
  for (const file of readdirSync(ours))
    if (file.endsWith('.mjs')) copyFileSync(join(ours, file), join(home, file));
  const catalogPath = join(home, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(options.catalog));
  await recreateDatabase(options.serverUrl, options.database);
  return catalogPath;
}

/**
 * The processes of a peer: the steps that load it, run to their end, and the long-running
 * processes that serve it, counted by label; `stop` ends them in the order they started and
 * drops the database.
 */
export class PeerProcesses {
  private readonly running = new Map<string, Child>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly setup: PeerSetup) {
    this.env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', ...setup.env };
  }

  /** The connection string of the peer's database. */
  get databaseUrl(): string {
    return databaseUrl(this.setup.serverUrl, this.setup.database);
  }

  /** Runs `node args` to its end, then logs `done` and how long it took. */
  async step(name: string, args: string[], done: string): Promise<void> {
    const { home, log } = this.setup;
    const started = Date.now();
    await runChild(`${this.setup.name} ${name}`, process.execPath, args, { cwd: home, env: this.env });
    log(`${this.setup.name}: ${done} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }

  /** Starts `node args` as the process `label` and waits until `ready` (given its output) is true. */
  async start(label: string, args: string[], ready: (output: string) => Promise<boolean>): Promise<void> {
    const { home } = this.setup;
    const child = startChild(`${this.setup.name} ${label}`, process.execPath, args, {
      cwd: home,
      env: this.env,
    });
    this.running.set(label, child);
    await waitUntil(child, () => ready(child.output()));
  }

  /** The pids of the processes by label, and of the PostgreSQL backends serving the database. */
  async pids(): Promise<Record<string, number[]>> {
    const pids: Record<string, number[]> = {};
    for (const [label, child] of this.running) pids[label] = [child.process.pid!];
    pids.PostgreSQL = await backendPids(this.setup.serverUrl, this.setup.database);
    return pids;
  }

  query<Row extends object>(text: string, values: unknown[] = []): Promise<Row[]> {
    return query<Row>(this.databaseUrl, text, values);
  }

  /**
   * The hot product's count from the peer's own tables: `soldSql` sums the units sold as `units`,
   * `stockSql` reads its stock, which `describe` words; both take the product's key as $1.
   */
  async hotProduct<Stock extends object>(
    key: string,
    soldSql: string,
    stockSql: string,
    describe: (stock: Stock | undefined) => string,
  ): Promise<HotProductCount> {
    const [sold] = await this.query<{ units: string | null }>(soldSql, [key]);
    const [stock] = await this.query<Stock>(stockSql, [key]);
    return { sold: Number(sold?.units ?? 0), stock: describe(stock) };
  }

  /** The version of the package `name` installed in the peer's folder. */
  version(name: string): string {
    const manifest = join(this.setup.home, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }

  async stop(): Promise<void> {
    for (const child of this.running.values()) await stopChild(child);
    await dropDatabase(this.setup.serverUrl, this.setup.database);
  }
}
