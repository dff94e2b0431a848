import { readFileSync } from 'node:fs';
import type { Orm } from '@lapak/core';
import { sql } from 'kysely';

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

export const totalCpuSeconds = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

/** CPU seconds per process, to subtract two samples (a process started in between counts in full). */
export const cpuSample = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));

export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, seconds] of after) spent += seconds - (before.get(pid) ?? 0);
  return spent;
}

/** The pids of the PostgreSQL backends serving one database. */
export async function postgresBackends(orm: Orm, database: string): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = ${database}
  `.execute(orm.em.fork().getKysely());
  return rows.map((row) => row.pid);
}
