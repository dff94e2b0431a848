import { describe, expect, it } from 'vitest';
import { KeyFailed, MicroBatcher } from './micro-batcher';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MicroBatcher', () => {
  it('groups keys that arrive together into one run and gives each caller its own result', async () => {
    const runs: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (keys) => {
        runs.push(keys);
        return new Map(keys.map((key) => [key, key * 10]));
      },
      { maxBatch: 10, maxInFlight: 1, lingerMs: 5 },
    );
    const results = await Promise.all([1, 2, 3].map((key) => batcher.submit(key)));
    expect(results).toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('never runs more than maxBatch keys or maxInFlight runs at once, and queues the rest', async () => {
    const runs: number[][] = [];
    let running = 0;
    let mostRunning = 0;
    const batcher = new MicroBatcher<number, number>(
      async (keys) => {
        runs.push(keys);
        mostRunning = Math.max(mostRunning, ++running);
        await tick(10);
        running--;
        return new Map(keys.map((key) => [key, key]));
      },
      { maxBatch: 4, maxInFlight: 2, lingerMs: 1 },
    );
    const keys = Array.from({ length: 22 }, (_, i) => i);
    await Promise.all(keys.map((key) => batcher.submit(key)));
    expect(Math.max(...runs.map((run) => run.length))).toBeLessThanOrEqual(4);
    expect(mostRunning).toBe(2);
    expect(runs.flat().sort((a, b) => a - b)).toEqual(keys);
  });

  it('rejects every caller of a failed run, and the next run goes ahead', async () => {
    let fail = true;
    const batcher = new MicroBatcher<string, string>(
      async (keys) => {
        if (fail) throw new Error('database went away');
        return new Map(keys.map((key) => [key, 'ok']));
      },
      { maxBatch: 10, maxInFlight: 1, lingerMs: 1 },
    );
    const failed = await Promise.allSettled([batcher.submit('a'), batcher.submit('b')]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit('a')).resolves.toBe('ok');
  });

  it('runs a key submitted twice once and answers both callers', async () => {
    const runs: string[][] = [];
    const batcher = new MicroBatcher<string, string>(
      async (keys) => {
        runs.push(keys);
        return new Map(keys.map((key) => [key, key.toUpperCase()]));
      },
      { maxBatch: 10, maxInFlight: 1, lingerMs: 1 },
    );
    expect(await Promise.all([batcher.submit('x'), batcher.submit('x')])).toEqual(['X', 'X']);
    expect(runs).toEqual([['x']]);
  });

  it('rejects a caller whose key the run did not answer for', async () => {
    const batcher = new MicroBatcher<string, string>(async () => new Map(), {
      maxBatch: 10,
      maxInFlight: 1,
      lingerMs: 1,
    });
    await expect(batcher.submit('lost')).rejects.toThrow('no result for lost');
  });

  it('rejects only the caller whose key failed alone (KeyFailed), with that error', async () => {
    const batcher = new MicroBatcher<string, string>(
      async (keys) =>
        new Map(keys.map((key) => [key, key === 'bad' ? new KeyFailed(new Error('bad line')) : 'ok'])),
      { maxBatch: 10, maxInFlight: 1, lingerMs: 1 },
    );
    const settled = await Promise.allSettled(['a', 'bad', 'b'].map((key) => batcher.submit(key)));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('bad line'));
  });

  it('with no linger, runs a lone key at once, in the same turn as its submit', () => {
    const runs: string[][] = [];
    const batcher = new MicroBatcher<string, string>(
      async (keys) => {
        runs.push(keys);
        return new Map(keys.map((key) => [key, key]));
      },
      { maxBatch: 10, maxInFlight: 1, lingerMs: 0 },
    );
    void batcher.submit('now');
    expect(runs).toEqual([['now']]);
  });
});
