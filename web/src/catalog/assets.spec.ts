import { storefrontImagePresets } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { assetSrcset, assetUrl, imagePresetKey, imageUrl, imageWidths, sharePresetKey } from './assets';

const base = 'https://cms.example.com';
const widthsOf = (srcset: string) => srcset.split(', ').map((entry) => entry.split(' ')[1]);

describe('asset URLs', () => {
  it('ask Directus for a preset by its key', () => {
    expect(imageUrl('abc', 640, base)).toBe('https://cms.example.com/assets/abc?key=lapak-w640');
    expect(assetUrl('a/b', sharePresetKey, base)).toBe(
      'https://cms.example.com/assets/a%2Fb?key=lapak-share',
    );
  });

  it('name only presets the contract gives Directus, at their widths and formats', () => {
    const presets = new Map(storefrontImagePresets.map((preset) => [preset.key, preset]));
    for (const width of imageWidths) {
      expect(presets.get(imagePresetKey(width))).toMatchObject({ width, format: 'webp' });
    }
    expect(presets.get(sharePresetKey)).toMatchObject({ width: 1200, format: 'jpeg' });
  });
});

describe('assetSrcset', () => {
  it('lists every preset for a large original', () => {
    const srcset = assetSrcset('abc', 3000, base);
    expect(widthsOf(srcset)).toEqual(['160w', '320w', '480w', '640w', '960w', '1280w']);
    expect(srcset).toContain('https://cms.example.com/assets/abc?key=lapak-w320 320w');
    expect(srcset.startsWith('https://cms.example.com/assets/abc?key=lapak-w160 ')).toBe(true);
  });

  it('never upscales: the list ends with the next preset up, at the original’s own width', () => {
    expect(widthsOf(assetSrcset('abc', 500, base))).toEqual(['160w', '320w', '480w', '500w']);
    expect(assetSrcset('abc', 500, base)).toContain('?key=lapak-w640 500w');
    expect(assetSrcset('abc', 640, base).endsWith('?key=lapak-w640 640w')).toBe(true);
    expect(assetSrcset('abc', 120, base)).toBe('https://cms.example.com/assets/abc?key=lapak-w160 120w');
  });

  it('lists every preset when the original size is unknown', () => {
    expect(assetSrcset('abc', null, base).split(', ')).toHaveLength(6);
  });
});
