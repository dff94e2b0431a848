import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** What the figures were measured on, for docs/benchmarks.md. */
export function describeMachine(): string {
  let model = 'unknown CPU';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux
  }
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  return `${availableParallelism()} × ${model}, ${memory} RAM, Node ${process.version}`;
}
