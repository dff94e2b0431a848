import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Start time in clock ticks since boot: with the pid, names one process even after pid reuse. */
  started: number;
  command: string;
}

function readStat(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      started: Number(fields[19]),
      command: command || stat.slice(stat.indexOf('(') + 1, close),
    };
  } catch {
    return null;
  }
}

/** Every process on the machine (Linux /proc). */
export function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((info): info is ProcessInfo => info !== null);
}

/** `root` and every process below it. */
export function descendants(root: number): ProcessInfo[] {
  const all = allProcesses();
  const found = all.filter((info) => info.pid === root);
  for (let i = 0; i < found.length; i++) {
    found.push(...all.filter((info) => info.ppid === found[i]!.pid));
  }
  return found;
}

/** The processes of `known` that still run (same pid and start time). */
export function stillRunning(known: ProcessInfo[]): ProcessInfo[] {
  return known.filter((info) => {
    const now = readStat(info.pid);
    return now !== null && now.started === info.started;
  });
}

/** The value of the environment variable `name` in process `pid` (undefined if unset or gone). */
export function envOf(pid: number, name: string): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((item) => item.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/** Processes whose environment holds `name=value`. */
export function processesWithEnv(name: string, value: string): ProcessInfo[] {
  return allProcesses().filter((info) => envOf(info.pid, name) === value);
}
