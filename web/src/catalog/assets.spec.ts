import { describe, expect, it } from 'vitest';
import { assetSrcset, assetUrl } from './assets';

const base = 'https://cms.example.com';

describe('assetUrl', () => {
  it('asks Directus for a resized WebP', () => {
    expect(assetUrl('abc', { width: 640 }, base)).toBe(
      'https://cms.example.com/assets/abc?width=640&quality=80&format=webp',
    );
  });

  it('passes height, fit, quality and format when given', () => {
    expect(assetUrl('abc', { width: 96, height: 96, fit: 'cover', quality: 60, format: 'avif' }, base)).toBe(
      'https://cms.example.com/assets/abc?width=96&height=96&fit=cover&quality=60&format=avif',
    );
  });
});

describe('assetSrcset', () => {
  it('lists every width for a large original', () => {
    const srcset = assetSrcset('abc', 3000, {}, base);
    expect(srcset.split(', ').map((entry) => entry.split(' ')[1])).toEqual([
      '160w',
      '320w',
      '480w',
      '640w',
      '960w',
      '1280w',
    ]);
    expect(srcset).toContain('https://cms.example.com/assets/abc?width=320&quality=80&format=webp 320w');
    expect(srcset.startsWith('https://cms.example.com/assets/abc?width=160&')).toBe(true);
  });

  it('never upscales: a small original ends the list at its own width', () => {
    const widths = assetSrcset('abc', 500, {}, base)
      .split(', ')
      .map((entry) => entry.split(' ')[1]);
    expect(widths).toEqual(['160w', '320w', '480w', '500w']);
    expect(assetSrcset('abc', 120, {}, base)).toBe(
      'https://cms.example.com/assets/abc?width=120&quality=80&format=webp 120w',
    );
  });

  it('lists every width when the original size is unknown', () => {
    expect(assetSrcset('abc', null, {}, base).split(', ')).toHaveLength(6);
  });
});
