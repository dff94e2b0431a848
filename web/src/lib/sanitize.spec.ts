import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from './sanitize';

describe('sanitizeHtml', () => {
  it('keeps formatting, lists and links', () => {
    const html = '<h2>Care</h2><p><strong>Hand</strong> wash</p><ul><li>30°</li></ul><a href="/x">more</a>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it('removes scripts, handlers, javascript: links, styles and forms', () => {
    const dirty =
      '<p onclick="alert(1)" style="color:red">hi</p><script>alert(1)</script>' +
      '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)"><form><input></form>' +
      '<iframe src="https://example.com"></iframe>';
    const clean = sanitizeHtml(dirty);
    expect(clean).toBe('<p>hi</p><a>x</a><img src="x">');
  });

  it('gives links that open a new window rel=noopener', () => {
    expect(sanitizeHtml('<a href="https://example.com" target="_blank">x</a>')).toBe(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer">x</a>',
    );
  });

  it('turns nothing into nothing', () => {
    expect(sanitizeHtml(null)).toBe('');
    expect(sanitizeHtml('')).toBe('');
  });
});
