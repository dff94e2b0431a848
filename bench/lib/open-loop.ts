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
  const statuses: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  const start = performance.now() + 20;

  return new Promise((resolve) => {
    const finish = (due: number, status: string) => {
      latencies.push(performance.now() - due);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (++done === total) {
        latencies.sort((a, b) => a - b);
        resolve({ sent, statuses, latencies, elapsedSeconds: (performance.now() - start) / 1000 });
      }
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        options.call(sent).then(
          (status) => finish(due, status),
          () => finish(due, 'error'),
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
