/**
 * Debian's Chromium driven by playwright-core, with every console error and page error kept
 * so a test can fail on them, screenshots of a page at phone and desktop widths, and axe-core's
 * accessibility rules run on a page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const artifactsDir = resolve(import.meta.dirname, '../artifacts/storefront');

export const widths = { phone: 390, desktop: 1280 } as const;

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not at ${executablePath}: install it with \`bash scripts/system-deps.sh\` (Debian's package), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsoleWatch {
  /** Console errors and uncaught page errors not announced with `expect`. */
  unexpected: string[];
  /** The next console error matching `pattern` is expected (e.g. a 409 the test provokes). */
  expect(pattern: RegExp): void;
  /** Console errors matching `pattern` are ignored until `disallow` (failures a test causes on purpose). */
  allow(pattern: RegExp): void;
  disallow(pattern: RegExp): void;
  /** Expected errors that never came. */
  pending(): RegExp[];
}

/** Collects the console errors of every page of a context. */
export function watchConsole(context: BrowserContext, label: string): ConsoleWatch {
  const unexpected: string[] = [];
  const expected: RegExp[] = [];
  const allowed = new Set<RegExp>();
  const record = (page: Page, text: string) => {
    if ([...allowed].some((pattern) => pattern.test(text))) return;
    const index = expected.findIndex((pattern) => pattern.test(text));
    if (index >= 0) expected.splice(index, 1);
    else unexpected.push(`[${label}] ${text} (at ${page.url()})`);
  };
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') record(page, `console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => record(page, `page error: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    unexpected,
    expect: (pattern) => void expected.push(pattern),
    allow: (pattern) => void allowed.add(pattern),
    disallow: (pattern) => void allowed.delete(pattern),
    pending: () => [...expected],
  };
}

/** What the functions below touch of the page's DOM (this file is type-checked without DOM types). */
interface PageImage {
  complete: boolean;
  loading: string;
  addEventListener(type: 'load' | 'error', listener: () => void, options: { once: boolean }): void;
}
interface PageGlobals {
  document: { images: ArrayLike<PageImage>; documentElement: { scrollWidth: number; clientWidth: number } };
}

/** Waits until every image on the page has loaded (lazy ones are told to load now). */
export async function imagesLoaded(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const images = Array.from((globalThis as unknown as PageGlobals).document.images);
    for (const image of images) image.loading = 'eager';
    await Promise.all(
      images.map((image) =>
        image.complete
          ? Promise.resolve()
          : new Promise<void>((done) => {
              image.addEventListener('load', done, { once: true });
              image.addEventListener('error', done, { once: true });
            }),
      ),
    );
  });
}

/** How far the page is wider than its viewport (0 when nothing scrolls sideways). */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

/**
 * Full-page screenshots of the page at phone and desktop widths, as
 * e2e/artifacts/storefront/<name>-phone.png and -desktop.png; returns the sideways overflow
 * found at each width, which a test expects to be 0.
 */
export async function screenshots(page: Page, name: string): Promise<Record<keyof typeof widths, number>> {
  mkdirSync(artifactsDir, { recursive: true });
  const original = page.viewportSize();
  const overflow = { phone: 0, desktop: 0 };
  for (const [label, width] of Object.entries(widths) as [keyof typeof widths, number][]) {
    await page.setViewportSize({ width, height: label === 'phone' ? 844 : 900 });
    await imagesLoaded(page);
    overflow[label] = await sidewaysOverflow(page);
    await page.screenshot({ path: join(artifactsDir, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
  return overflow;
}

let axeSource: string | undefined;

/** What axe-core reports of a rule a page breaks (only what the message below uses). */
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now; one line per rule broken
 * (serious and critical ones, and moderate ones such as a missing main landmark), naming where.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: unknown }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((violation) => violation.impact !== 'minor')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ` +
        violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join('; '),
    );
}
