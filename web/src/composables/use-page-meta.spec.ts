import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { usePageMeta, type PageMeta } from './use-page-meta';

const head = (selector: string, attribute = 'content') =>
  document.head.querySelector(selector)?.getAttribute(attribute) ?? null;

function showPage(meta: PageMeta | (() => PageMeta)) {
  return mount(
    defineComponent({
      setup() {
        usePageMeta(meta);
        return () => h('p');
      },
    }),
  );
}

afterEach(() => {
  document.head.innerHTML = '';
});

describe('usePageMeta', () => {
  it('sets the title, description, Open Graph fields and canonical URL', () => {
    history.replaceState(null, '', '/products/sea-mug?from=search');
    showPage({
      title: 'Sea green mug',
      description: ' A hand-thrown mug. ',
      image: 'https://cms.example/assets/1?width=1200',
    });
    expect(document.title).toBe('Sea green mug · Lapak');
    expect(head('meta[name="description"]')).toBe('A hand-thrown mug.');
    expect(head('meta[property="og:title"]')).toBe('Sea green mug');
    expect(head('meta[property="og:description"]')).toBe('A hand-thrown mug.');
    expect(head('meta[property="og:image"]')).toBe('https://cms.example/assets/1?width=1200');
    expect(head('meta[property="og:url"]')).toBe(`${location.origin}/products/sea-mug`);
    expect(head('link[rel="canonical"]', 'href')).toBe(`${location.origin}/products/sea-mug`);
  });

  it('keeps a title that names the shop, falls back to the shop’s description and drops a stale image', async () => {
    const meta = ref<PageMeta>({ title: 'Mug', image: 'https://cms.example/assets/1' });
    showPage(() => meta.value);
    expect(head('meta[property="og:image"]')).not.toBeNull();
    meta.value = { title: 'Lapak picks', description: '  ' };
    await nextTick();
    expect(document.title).toBe('Lapak picks');
    expect(head('meta[name="description"]')).toMatch(/^Lapak: a small shop/);
    expect(head('meta[property="og:image"]')).toBeNull();
  });
});
