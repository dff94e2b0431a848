import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks.md');

/**
 * Writes (or replaces) one benchmark's section of docs/benchmarks.md, between
 * `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; other sections are left as they are.
 */
export function writeBenchmarkSection(name: string, markdown: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const doc = readFileSync(docPath, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${doc.slice(0, from)}${section}${doc.slice(to + end.length)}`
      : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  return docPath;
}
