import type { DemoCategory, DemoProduct } from './catalog';

/** Small vector motifs, drawn in the accent colour on an 800×600 canvas. */
const motifs: Record<DemoProduct['motif'], (accent: string) => string> = {
  bean: (c) =>
    [0, 1, 2]
      .map(
        (i) =>
          `<g transform="translate(${250 + i * 150} ${260 + (i % 2) * 60}) rotate(${i * 35 - 30})">` +
          `<ellipse rx="60" ry="85" fill="${c}"/><path d="M0 -80 C 30 -30 -30 30 0 80" stroke="#00000055" stroke-width="10" fill="none"/></g>`,
      )
      .join(''),
  leaf: (c) =>
    [0, 1, 2, 3]
      .map(
        (i) =>
          `<g transform="translate(400 330) rotate(${i * 90 + 45})"><path d="M0 0 C 60 -60 60 -160 0 -220 C -60 -160 -60 -60 0 0Z" fill="${c}"/>` +
          `<path d="M0 0 L0 -210" stroke="#00000044" stroke-width="6"/></g>`,
      )
      .join(''),
  chili: (c) =>
    [0, 1]
      .map(
        (i) =>
          `<g transform="translate(${320 + i * 170} 320) rotate(${i * 40 - 20})"><path d="M0 -150 C 80 -100 70 100 -20 170 C 20 60 10 -60 -40 -140Z" fill="${c}"/>` +
          `<path d="M-40 -140 C -30 -180 0 -190 10 -200" stroke="#2e7d32" stroke-width="16" fill="none"/></g>`,
      )
      .join(''),
  wave: (c) =>
    [0, 1, 2, 3, 4]
      .map(
        (i) =>
          `<path d="M60 ${180 + i * 70} C 200 ${120 + i * 70} 300 ${240 + i * 70} 400 ${180 + i * 70} S 600 ${120 + i * 70} 740 ${180 + i * 70}" stroke="${c}" stroke-width="22" fill="none" opacity="${1 - i * 0.15}"/>`,
      )
      .join(''),
  batik: (c) =>
    Array.from({ length: 6 }, (_, i) =>
      Array.from(
        { length: 4 },
        (_, j) =>
          `<g transform="translate(${130 + i * 110} ${160 + j * 100}) rotate(45)"><rect x="-30" y="-30" width="60" height="60" fill="none" stroke="${c}" stroke-width="8"/><circle r="10" fill="${c}"/></g>`,
      ).join(''),
    ).join(''),
  bowl: (c) =>
    `<path d="M200 300 H600 C 600 440 500 500 400 500 C 300 500 200 440 200 300Z" fill="${c}"/>` +
    `<ellipse cx="400" cy="300" rx="200" ry="40" fill="${c}" stroke="#00000033" stroke-width="8"/>` +
    [0, 1, 2]
      .map(
        (i) =>
          `<path d="M${340 + i * 60} 240 C ${320 + i * 60} 200 ${360 + i * 60} 170 ${340 + i * 60} 130" stroke="${c}" stroke-width="10" fill="none" opacity="0.6"/>`,
      )
      .join(''),
};

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A product picture made here, without any download: the category's colours, a motif and the name. */
export function productImage(product: DemoProduct, category: DemoCategory): string {
  const [background, accent] = category.colors;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">` +
    `<rect width="800" height="600" fill="${background}"/>` +
    `<rect x="24" y="24" width="752" height="552" rx="28" fill="none" stroke="${accent}" stroke-width="6" opacity="0.5"/>` +
    motifs[product.motif](accent) +
    `<rect x="0" y="510" width="800" height="90" fill="#00000066"/>` +
    `<text x="400" y="568" font-family="Georgia, serif" font-size="38" fill="#ffffff" text-anchor="middle">${escapeXml(product.name)}</text>` +
    `</svg>`
  );
}
