import { createHash } from 'node:crypto';

/** A lowercase hex id derived from `seed`: the same seed gives the same id on every build. */
export function stableId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
