import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopResult {
  sent: number;
  statuses: Record<string, number>;
  /** Milliseconds from each request's scheduled start to its full response, sorted. */
  latencies: number[];
  /** Each request's scheduled start (ms from the first) and latency, in the order they were due. */
  timeline: { dueMs: number; latencyMs: number }[];
  elapsedSeconds: number;
}

/**
 * Open-loop load at a fixed arrival rate: call i is due at start + i/rate whether or not earlier
 * ones have finished, and its latency counts from when it was due, so a stall shows up in the
 * figures instead of silently lowering the rate (no coordinated omission). `call` resolves to
 * the outcome to count (an HTTP status, say).
 */
export function openLoopCalls(options: {
  rate: number;
  seconds: number;
  call: (i: number) => Promise<string>;
}): Promise<OpenLoopResult> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const timeline: { dueMs: number; latencyMs: number }[] = new Array(total);
  const statuses: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  const start = performance.now() + 20;

  return new Promise((resolve) => {
    const finish = (i: number, due: number, status: string) => {
      const latencyMs = performance.now() - due;
      latencies.push(latencyMs);
      timeline[i] = { dueMs: due - start, latencyMs };
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (++done === total) {
        latencies.sort((a, b) => a - b);
        resolve({ sent, statuses, latencies, timeline, elapsedSeconds: (performance.now() - start) / 1000 });
      }
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        const i = sent;
        options.call(i).then(
          (status) => finish(i, due, status),
          () => finish(i, due, 'error'),
        );
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
}

/**
 * Open-loop HTTP load (see `openLoopCalls`): one request per connection at a time (no
 * pipelining); connections are opened as needed.
 */
export async function openLoop(options: {
  url: string;
  rate: number;
  seconds: number;
  next: (i: number) => LoadRequest;
}): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const call = (i: number) =>
    new Promise<string>((resolve, reject) => {
      const spec = options.next(i);
      const req = request(
        {
          agent,
          hostname,
          port,
          method: spec.method,
          path: spec.path,
          headers: { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
        },
      );
      req.on('error', reject);
      req.end(spec.body);
    });
  try {
    return await openLoopCalls({ rate: options.rate, seconds: options.seconds, call });
  } finally {
    agent.destroy();
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A run of requests due close together that all took longer than a threshold. */
export interface Stall {
  /** When the first of them was due, seconds into the run. */
  atSeconds: number;
  requests: number;
  worstMs: number;
}

/**
 * The requests slower than `thresholdMs`, grouped into stalls: requests due within `gapMs` of the
 * previous slow one belong to the same stall. Tells a tail made of a few stalls, during which
 * every request waits, from one spread evenly over the run.
 */
export function stallsOf(result: OpenLoopResult, thresholdMs: number, gapMs = 50): Stall[] {
  const stalls: Stall[] = [];
  let lastDue = -Infinity;
  for (const { dueMs, latencyMs } of result.timeline) {
    if (latencyMs <= thresholdMs) continue;
    const current = stalls.at(-1);
    if (current && dueMs - lastDue <= gapMs) {
      current.requests++;
      current.worstMs = Math.max(current.worstMs, latencyMs);
    } else {
      stalls.push({ atSeconds: dueMs / 1000, requests: 1, worstMs: latencyMs });
    }
    lastDue = dueMs;
  }
  return stalls;
}
