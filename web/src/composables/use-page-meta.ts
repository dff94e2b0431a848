import { toValue, watchEffect, type MaybeRefOrGetter } from 'vue';

export const siteName = 'Lapak';
const defaultDescription = 'Lapak: a small shop with a big catalog. Browse, search and order online.';

export interface PageMeta {
  title?: string | null;
  description?: string | null;
}

function metaDescription(): HTMLMetaElement {
  let element = document.head.querySelector<HTMLMetaElement>('meta[name="description"]');
  if (!element) {
    element = document.createElement('meta');
    element.name = 'description';
    document.head.append(element);
  }
  return element;
}

/** Sets the document title ("<title> · Lapak") and meta description while the page is shown. */
export function usePageMeta(meta: MaybeRefOrGetter<PageMeta>): void {
  watchEffect(() => {
    const { title, description } = toValue(meta);
    // An editor's SEO title may already name the shop.
    document.title = !title ? siteName : title.includes(siteName) ? title : `${title} · ${siteName}`;
    metaDescription().content = description?.trim() || defaultDescription;
  });
}
