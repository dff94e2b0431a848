import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, Services } from './processes';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function services(): { services: Services; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lapak-services-'));
  dirs.push(dir);
  return { services: new Services(dir), dir };
}

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
