import { describe, expect, it } from 'vitest';
import { summarise } from './bundle-size-report';

describe('summarise', () => {
  it('adds up JS and CSS, and counts the entry with its static imports and their CSS as the first page', () => {
    const summary = summarise({
      'assets/index.js': {
        code: 'a'.repeat(1000),
        isEntry: true,
        imports: ['assets/vendor.js'],
        viteMetadata: { importedCss: new Set(['assets/index.css']) },
      },
      'assets/vendor.js': { code: 'b'.repeat(500), imports: [] },
      'assets/product.js': { code: 'c'.repeat(300), imports: ['assets/vendor.js'] },
      'assets/index.css': { source: 'd'.repeat(200) },
      'assets/index.js.map': { source: 'x'.repeat(9999) },
      'favicon.svg': { source: '<svg/>' },
    });
    expect(summary.js.raw).toBe(1800);
    expect(summary.css.raw).toBe(200);
    expect(summary.total.raw).toBe(2000);
    expect(summary.initial.raw).toBe(1700);
    expect(Object.keys(summary.files).sort()).toEqual([
      'assets/index.css',
      'assets/index.js',
      'assets/product.js',
      'assets/vendor.js',
    ]);
    expect(summary.initial.gzip).toBeGreaterThan(0);
    expect(summary.initial.gzip).toBeLessThan(summary.initial.raw);
  });
});
