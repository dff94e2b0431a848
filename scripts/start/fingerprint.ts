import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const skipped = new Set(['node_modules', 'dist', '.data', 'coverage']);

function* filesUnder(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (skipped.has(entry.name)) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** A hash of the content of `paths` (files or folders, below `root`) and of `extra` strings. */
export function fingerprint(root: string, paths: string[], extra: string[] = []): string {
  const hash = createHash('sha256');
  for (const path of paths) {
    for (const file of filesUnder(join(root, path))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex');
}

/**
 * Remembers, in `stateDir`, which inputs a step last succeeded with: `step` runs only when
 * `print` differs from that, and records it after success.
 */
export async function unlessUnchanged(
  stateDir: string,
  step: string,
  print: string,
  run: () => Promise<void>,
): Promise<'ran' | 'unchanged'> {
  const dir = join(stateDir, 'applied');
  const marker = join(dir, `${step}.sha256`);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === print) return 'unchanged';
  await run();
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, print);
  return 'ran';
}

/** Forgets the recorded inputs of every step whose name starts with one of `prefixes`. */
export function forgetApplied(stateDir: string, prefixes: string[]): void {
  const dir = join(stateDir, 'applied');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)) {
    if (prefixes.some((prefix) => file.startsWith(prefix))) rmSync(join(dir, file), { force: true });
  }
}
