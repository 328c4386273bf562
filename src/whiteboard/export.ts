// PNG and SVG export of a scene. Text is escaped as XML text, never interpreted as markup.
import { FONT_FAMILY, ImageCache, LINE_HEIGHT, PathCache, arrowHead, drawElement, textLines } from './draw.js';
import { penPath } from './freehand.js';
import { box, boundsOf } from './geometry.js';
import type { BoardElement, Rect } from './types.js';

const PAD = 16;

export function exportArea(elements: readonly BoardElement[]): Rect {
  const b = boundsOf(elements) ?? { x: 0, y: 0, w: 1, h: 1 };
  return { x: Math.floor(b.x - PAD), y: Math.floor(b.y - PAD), w: Math.ceil(b.w + 2 * PAD), h: Math.ceil(b.h + 2 * PAD) };
}

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (v: number) => String(Math.round(v * 100) / 100);

/** SVG markup of the elements (bottom first), on a white background. */
export function toSVG(elements: readonly BoardElement[]): string {
  const a = exportArea(elements);
  const parts = elements.map((el) => {
    const stroke = `stroke="${xmlEscape(el.color)}" stroke-width="${n(el.width)}" fill="none" stroke-linecap="round" stroke-linejoin="round"`;
    const r = box(el);
    switch (el.type) {
      case 'pen':
        return `<path data-type="pen" d="${penPath(el)}" fill="${xmlEscape(el.color)}"/>`;
      case 'rectangle':
        return `<rect data-type="rectangle" x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" ${stroke}/>`;
      case 'ellipse':
        return `<ellipse data-type="ellipse" cx="${n(r.x + r.w / 2)}" cy="${n(r.y + r.h / 2)}" rx="${n(r.w / 2)}" ry="${n(r.h / 2)}" ${stroke}/>`;
      case 'arrow': {
        const [p, t, q] = arrowHead(el);
        return `<path data-type="arrow" d="M${n(el.x)} ${n(el.y)}L${n(t[0])} ${n(t[1])}M${n(p[0])} ${n(p[1])}L${n(t[0])} ${n(t[1])}L${n(q[0])} ${n(q[1])}" ${stroke}/>`;
      }
      case 'text': {
        const size = el.fontSize ?? 20;
        const lines = textLines(el).map((l, i) => `<tspan x="${n(el.x)}" y="${n(el.y + i * size * LINE_HEIGHT)}">${xmlEscape(l)}</tspan>`).join('');
        return `<text data-type="text" font-family="${xmlEscape(FONT_FAMILY)}" font-size="${n(size)}" dominant-baseline="hanging" fill="${xmlEscape(el.color)}" xml:space="preserve">${lines}</text>`;
      }
      case 'image':
        return `<image data-type="image" x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" href="${xmlEscape(el.src ?? '')}" preserveAspectRatio="none"/>`;
    }
    return '';
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${a.w}" height="${a.h}" viewBox="${a.x} ${a.y} ${a.w} ${a.h}">`
    + `<rect x="${a.x}" y="${a.y}" width="${a.w}" height="${a.h}" fill="#ffffff"/>${parts.join('')}</svg>`;
}

/** A PNG of the elements at `scale` pixels per world unit, on a white background. */
export async function toPNG(elements: readonly BoardElement[], scale = 2, images = new ImageCache()): Promise<Blob> {
  const a = exportArea(elements);
  // Keep the bitmap within what browsers allocate reliably.
  const s = Math.min(scale, 8192 / Math.max(a.w, a.h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(a.w * s));
  canvas.height = Math.max(1, Math.ceil(a.h * s));
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await images.ready(elements.filter((e) => e.type === 'image' && e.src).map((e) => e.src!));
  ctx.setTransform(s, 0, 0, s, -a.x * s, -a.y * s);
  const paths = new PathCache();
  for (const el of elements) drawElement(ctx, el, paths, images);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
}
