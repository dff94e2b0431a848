import { describe, expect, it } from 'vitest';
import { runChild, startChild, stopChild, waitUntil } from './child-process';

const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];
const env = { PATH: process.env.PATH };

describe('child processes of the tests and benchmarks', () => {
  it('runChild resolves when the command exits 0 and names the command and its output when not', async () => {
    await runChild('ok', ...node('process.exit(0)'), { env });
    await expect(
      runChild('broken', ...node('console.error("no config file"); process.exit(3)'), { env }),
    ).rejects.toThrow(/broken exited with 3:\nno config file/);
  });

  it('runChild kills a command that outlives its timeout', async () => {
    await expect(
      runChild('stuck', ...node('setInterval(() => {}, 1000)'), { env, timeoutMs: 200 }),
    ).rejects.toThrow(/stuck exited with SIGKILL/);
  });

  it('waitUntil fails at once, with the output, when the child exits before it is ready', async () => {
    const child = startChild('crashing', ...node('console.log("port in use"); process.exit(1)'), { env });
    const started = Date.now();
    await expect(waitUntil(child, async () => false, 30_000)).rejects.toThrow(
      /crashing exited with 1:\nport in use/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('waitUntil resolves once the check holds, and stopChild ends the child', async () => {
    const child = startChild('server', ...node('console.log("listening"); setInterval(() => {}, 1000)'), {
      env,
    });
    await waitUntil(child, async () => child.output().includes('listening'), 30_000);
    await stopChild(child);
    expect(child.process.signalCode).toBe('SIGTERM');
  });
});
