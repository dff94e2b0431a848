import { toValue, watchEffect, type MaybeRefOrGetter } from 'vue';

export const siteName = 'Lapak';
const defaultDescription = 'Lapak: a small shop with a big catalog. Browse, search and order online.';

export interface PageMeta {
  title?: string | null;
  description?: string | null;
  /** A picture for link previews (a product's first photo). */
  image?: string | null;
}

/** The `<meta>` of the head with `attribute="key"` (name or property), made if missing. */
function metaTag(attribute: 'name' | 'property', key: string): HTMLMetaElement {
  let element = document.head.querySelector<HTMLMetaElement>(`meta[${attribute}="${key}"]`);
  if (!element) {
    element = document.createElement('meta');
    element.setAttribute(attribute, key);
    document.head.append(element);
  }
  return element;
}

function canonicalLink(): HTMLLinkElement {
  let element = document.head.querySelector<HTMLLinkElement>('link[rel="canonical"]');
  if (!element) {
    element = document.createElement('link');
    element.rel = 'canonical';
    document.head.append(element);
  }
  return element;
}

/**
 * Sets the head while the page is shown: the title ("<title> · Lapak"), the meta description,
 * the Open Graph fields for link previews and the canonical URL (the page's path, no query).
 */
export function usePageMeta(meta: MaybeRefOrGetter<PageMeta>): void {
  watchEffect(() => {
    const { title, description, image } = toValue(meta);
    // An editor's SEO title may already name the shop.
    document.title = !title ? siteName : title.includes(siteName) ? title : `${title} · ${siteName}`;
    const text = description?.trim() || defaultDescription;
    metaTag('name', 'description').content = text;
    metaTag('property', 'og:site_name').content = siteName;
    metaTag('property', 'og:title').content = title || siteName;
    metaTag('property', 'og:description').content = text;
    metaTag('property', 'og:url').content = `${location.origin}${location.pathname}`;
    const picture = metaTag('property', 'og:image');
    if (image) picture.content = image;
    else picture.remove();
    canonicalLink().href = `${location.origin}${location.pathname}`;
  });
}
