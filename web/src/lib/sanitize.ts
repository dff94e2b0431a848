import DOMPurify from 'dompurify';

let hooked = false;

/** Links that open elsewhere never get a handle on this window. */
function hardenLinks() {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.getAttribute('target') === '_blank') {
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/**
 * Editors' rich text from Directus, safe to put in the page: scripts, event handlers, styles,
 * forms and frames are removed; formatting, lists, links, tables and images stay.
 */
export function sanitizeHtml(html: string | null | undefined): string {
  if (!html) return '';
  // DOMPurify hands back its input untouched where it cannot work; show the text, never the HTML.
  if (!DOMPurify.isSupported) return escapeHtml(html);
  hardenLinks();
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    ADD_ATTR: ['target'],
    FORBID_ATTR: ['style', 'class', 'id'],
  });
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => escapes[char]!);
