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

/** CPU microseconds per Redis round trip, in this process and in the Redis server. */
export interface RoundTripCost {
  client: number;
  server: number;
}

/**
 * What one round trip costs when the processes stay busy (PINGs back to back) and when each goes
 * idle before the next (a 2 ms pause between PINGs, as a worker waits for its next job or
 * answer at moderate load). The difference is what this machine charges a process for going
 * to sleep and being woken up.
 */
export async function roundTripCosts(
  redis: { ping(): Promise<unknown> },
  redisPid: number,
): Promise<{ busy: RoundTripCost; idleBetween: RoundTripCost }> {
  const measure = async (count: number, pauseMs: number): Promise<RoundTripCost> => {
    const client = process.cpuUsage();
    const server = cpuSeconds(redisPid);
    for (let i = 0; i < count; i++) {
      await redis.ping();
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    const spent = process.cpuUsage(client);
    return {
      client: (spent.user + spent.system) / count,
      server: ((cpuSeconds(redisPid) - server) * 1e6) / count,
    };
  };
  await measure(200, 0); // warm-up
  return { busy: await measure(3000, 0), idleBetween: await measure(500, 2) };
}
