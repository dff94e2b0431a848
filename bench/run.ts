import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm bench`: runs every `bench/*.bench.ts` and `bench/<folder>/*.bench.ts` in turn, each in
 * its own process (so one benchmark's leftovers cannot slow the next). `pnpm bench checkout`
 * runs only the files whose path contains "checkout" (`pnpm bench peers`: bench/peers/).
 * Exits non-zero if any benchmark failed.
 */
const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const folders = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
  .map((entry) => entry.name);
const files = [
  ...readdirSync(here),
  ...folders.flatMap((folder) => readdirSync(join(here, folder)).map((file) => `${folder}/${file}`)),
]
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filter.length === 0 || filter.some((word) => file.includes(word)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filter.join(' ') || '*.bench.ts'}`);
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
    cwd: here,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status === 0) console.log(`=== ${file}: done in ${seconds} s`);
  else {
    failed.push(file);
    console.log(`=== ${file}: FAILED (exit ${result.status ?? result.signal}) after ${seconds} s`);
  }
}
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}
