import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleSize {
  /** Bytes as written to disk. */
  raw: number;
  /** Bytes after gzip -9, what a browser downloads from a server that compresses. */
  gzip: number;
}

export interface BundleSizeSummary {
  /** All JavaScript and CSS of the build (every page). */
  js: BundleSize;
  css: BundleSize;
  total: BundleSize;
  /** What the first page needs: the entry chunk, its static imports and their CSS. */
  initial: BundleSize;
  files: Record<string, BundleSize>;
}

/** The parts of a Rollup/Rolldown output file this report reads. */
export interface OutputFile {
  code?: string;
  source?: string | Uint8Array;
  isEntry?: boolean;
  imports?: string[];
  viteMetadata?: { importedCss?: Set<string> };
}

const sizeOf = (source: string | Uint8Array): BundleSize => {
  const bytes = typeof source === 'string' ? Buffer.from(source) : source;
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
};

const add = (a: BundleSize, b: BundleSize): BundleSize => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
/** Kilobytes as Vite prints them (1 kB = 1000 bytes). */
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** Sums the JavaScript and CSS a shopper downloads (source maps excluded). */
export function summarise(bundle: Record<string, OutputFile>): BundleSizeSummary {
  const zero = { raw: 0, gzip: 0 };
  const summary: BundleSizeSummary = { js: zero, css: zero, total: zero, initial: zero, files: {} };
  for (const [name, file] of Object.entries(bundle)) {
    const kind = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : null;
    const source = file.code ?? file.source;
    if (!kind || source === undefined) continue;
    const size = sizeOf(source);
    summary.files[name] = size;
    summary[kind] = add(summary[kind], size);
  }
  summary.total = add(summary.js, summary.css);

  const initial = new Set<string>();
  const visit = (name: string) => {
    if (initial.has(name)) return;
    initial.add(name);
    const file = bundle[name];
    for (const css of file?.viteMetadata?.importedCss ?? []) initial.add(css);
    for (const imported of file?.imports ?? []) visit(imported);
  };
  for (const [name, file] of Object.entries(bundle)) if (file.isEntry) visit(name);
  for (const name of initial)
    if (summary.files[name]) summary.initial = add(summary.initial, summary.files[name]);
  return summary;
}

/**
 * After `vite build`, prints the size of the storefront's JavaScript and CSS (raw and gzipped,
 * all of it and what the first page loads) and writes the figures to dist/bundle-size.json.
 */
export function bundleSizeReport(): Plugin {
  return {
    name: 'lapak-bundle-size-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const summary = summarise(bundle as unknown as Record<string, OutputFile>);
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-size.json',
        source: `${JSON.stringify(summary, null, 2)}\n`,
      });
      process.stdout.write(
        `\nbundle size: first page ${kb(summary.initial.raw)} (gzip ${kb(summary.initial.gzip)}); ` +
          `all JS ${kb(summary.js.raw)} (gzip ${kb(summary.js.gzip)}), ` +
          `all CSS ${kb(summary.css.raw)} (gzip ${kb(summary.css.gzip)})\n`,
      );
    },
  };
}
