import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@lapak/core/testing';
import { freePort, Services, type RestartPolicy } from './processes';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function services(policy?: RestartPolicy): { services: Services; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lapak-services-'));
  dirs.push(dir);
  return { services: new Services(dir, policy), dir };
}

/** A service that counts its starts in `file` and exits after `ms`. */
const counting = (file: string, ms: number) => ({
  command: process.execPath,
  args: [
    '-e',
    `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(file)}, 'x'); setTimeout(() => process.exit(3), ${ms})`,
  ],
  env: process.env,
});
const starts = (file: string) => {
  try {
    return readFileSync(file, 'utf8').length;
  } catch {
    return 0;
  }
};
const fast: RestartPolicy = { baseDelayMs: 20, maxDelayMs: 80, stableMs: 500, maxFastFailures: 3 };

/** A process that says why it fails, in a burst, and exits at once, as a service failing at start does. */
const failing = {
  command: process.execPath,
  args: [
    '-e',
    "process.stdout.write('x'.repeat(200000) + '\\n'); process.stderr.write('port 5679 in use\\n'); process.exitCode = 1",
  ],
  env: process.env,
};

describe('Services', () => {
  it('reports a service that exits at start with its last words in the log and in the tail', async () => {
    const { services: running, dir } = services();
    const reported = new Promise<{ name: string; detail: string; tail: string }>((resolve) => {
      running.onUnexpectedExit = (name, detail) => resolve({ name, detail, tail: running.tail(name) });
    });
    running.start({ name: 'broker', ...failing });
    const { name, detail, tail } = await reported;
    expect(name).toBe('broker');
    expect(detail).toBe(`exited (1); see ${join(dir, 'broker.log')}`);
    expect(tail).toContain('port 5679 in use');
    expect(tail.trimEnd().endsWith('--- exited (1)')).toBe(true);
    const log = readFileSync(join(dir, 'broker.log'), 'utf8');
    // stdout and stderr interleave in the log: count the burst's pieces together.
    const burst = (log.match(/x{100,}/g) ?? []).join('').length;
    expect(burst, 'the whole burst of output').toBe(200000);
    await running.stopAll();
  });

  it('rejects a failed step with the end of its log', async () => {
    const { services: running } = services();
    await expect(running.run({ name: 'step', ...failing })).rejects.toThrow(/port 5679 in use/);
    await running.stopAll();
  });
});

describe('Services, once the system is up', () => {
  it('restarts a service that exits, backing off while it keeps failing fast, then gives up and says why', async () => {
    const { services: running, dir } = services(fast);
    const restarts: { name: string; detail: string; delayMs: number }[] = [];
    running.onRestart = (name, detail, delayMs) => restarts.push({ name, detail, delayMs });
    const gaveUp = new Promise<string>(
      (resolve) => (running.onUnexpectedExit = (_, detail) => resolve(detail)),
    );
    running.keepRunning();
    const file = join(dir, 'starts');
    running.start({ name: 'flaky', ...counting(file, 10) });

    expect(await gaveUp).toMatch(/exited \(3\).*failed 4 times in a row within 1 s of starting/);
    expect(restarts.map((r) => r.delayMs)).toEqual([20, 40, 80]);
    expect(restarts[0]!.detail).toBe(`exited (3); see ${join(dir, 'flaky.log')}`);
    expect(starts(file)).toBe(4);
    await running.stopAll();
  });

  it('counts failures afresh after a run that lasted, and restarts with a refreshed spec', async () => {
    const { services: running, dir } = services(fast);
    const delays: number[] = [];
    running.onRestart = (_, __, delayMs) => delays.push(delayMs);
    let gaveUp = false;
    running.onUnexpectedExit = () => (gaveUp = true);
    running.keepRunning();
    const file = join(dir, 'starts');
    let refreshed = 0;
    // Each run lasts longer than stableMs: never a fast failure, so never a longer delay.
    running.start({
      name: 'steady',
      ...counting(file, 600),
      refresh: async () => {
        refreshed++;
        return { name: 'steady', ...counting(file, 600) };
      },
    });
    await eventually('three restarts', () => starts(file) >= 4, 10_000);
    expect(delays.slice(0, 3)).toEqual([20, 20, 20]);
    expect(refreshed).toBeGreaterThanOrEqual(3);
    expect(gaveUp).toBe(false);
    await running.stopAll();
    const after = starts(file);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(starts(file), 'nothing restarted after stopAll').toBe(after);
  });

  it('before keepRunning, reports an exit at once instead of restarting', async () => {
    const { services: running, dir } = services(fast);
    let restarted = false;
    running.onRestart = () => (restarted = true);
    const reported = new Promise<string>((resolve) => (running.onUnexpectedExit = (name) => resolve(name)));
    running.start({ name: 'starting', ...counting(join(dir, 'starts'), 10) });
    expect(await reported).toBe('starting');
    expect(restarted).toBe(false);
    await running.stopAll();
  });
});

describe('freePort', () => {
  it('gives a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
