// Draws one element on a 2D canvas context in world coordinates (the caller sets the transform).
// Shared by the on-screen renderer and the PNG export. Expensive outlines are cached per element.
import { penPath } from './freehand.js';
import { box, headLength } from './geometry.js';
import type { BoardElement } from './types.js';

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const LINE_HEIGHT = 1.25;

/** Path2D outlines of pen strokes, valid while the element object is the same (the model replaces it on change). */
export class PathCache {
  private readonly cache = new Map<string, { el: BoardElement; path: Path2D }>();

  path(el: BoardElement): Path2D {
    const hit = this.cache.get(el.id);
    if (hit && hit.el === el) return hit.path;
    const path = new Path2D(penPath(el));
    this.cache.set(el.id, { el, path });
    return path;
  }

  drop(id: string) {
    this.cache.delete(id);
  }
}

/** Images by URL, loaded once (CORS-enabled so exports stay readable). */
export class ImageCache {
  private readonly images = new Map<string, HTMLImageElement>();
  constructor(private readonly onLoad: (src: string) => void = () => {}) {}

  get(src: string): HTMLImageElement | undefined {
    let img = this.images.get(src);
    if (!img) {
      img = new Image();
      img.crossOrigin = 'anonymous';
      img.decoding = 'async';
      img.onload = () => this.onLoad(src);
      img.src = src;
      this.images.set(src, img);
    }
    return img.complete && img.naturalWidth ? img : undefined;
  }

  /** Resolves when every given image has loaded or failed. */
  async ready(srcs: Iterable<string>): Promise<void> {
    await Promise.all([...srcs].map((s) => {
      const img = this.images.get(s) ?? (this.get(s), this.images.get(s)!);
      return img.complete ? undefined : new Promise((r) => { img.addEventListener('load', r, { once: true }); img.addEventListener('error', r, { once: true }); });
    }));
  }
}

export function textLines(el: BoardElement): string[] {
  return (el.text ?? '').split('\n');
}

export function drawElement(ctx: CanvasRenderingContext2D, el: BoardElement, paths: PathCache, images?: ImageCache) {
  ctx.strokeStyle = el.color;
  ctx.fillStyle = el.color;
  ctx.lineWidth = el.width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  switch (el.type) {
    case 'pen':
      ctx.fill(paths.path(el));
      break;
    case 'rectangle': {
      const r = box(el);
      ctx.beginPath();
      ctx.rect(r.x, r.y, r.w, r.h);
      ctx.stroke();
      break;
    }
    case 'ellipse': {
      const r = box(el);
      ctx.beginPath();
      ctx.ellipse(r.x + r.w / 2, r.y + r.h / 2, r.w / 2, r.h / 2, 0, 0, Math.PI * 2);
      ctx.stroke();
      break;
    }
    case 'arrow': {
      const [a, b, c] = arrowHead(el);
      ctx.beginPath();
      ctx.moveTo(el.x, el.y);
      ctx.lineTo(el.x + el.w, el.y + el.h);
      ctx.moveTo(a[0], a[1]);
      ctx.lineTo(b[0], b[1]);
      ctx.lineTo(c[0], c[1]);
      ctx.stroke();
      break;
    }
    case 'text': {
      const size = el.fontSize ?? 20;
      ctx.font = `${size}px ${FONT_FAMILY}`;
      ctx.textBaseline = 'top';
      textLines(el).forEach((line, i) => ctx.fillText(line, el.x, el.y + i * size * LINE_HEIGHT));
      break;
    }
    case 'image': {
      const r = box(el);
      const img = el.src ? images?.get(el.src) : undefined;
      if (img) ctx.drawImage(img, r.x, r.y, r.w, r.h);
      else {
        ctx.save();
        ctx.fillStyle = 'rgb(0 0 0 / 0.06)';
        ctx.fillRect(r.x, r.y, r.w, r.h);
        ctx.restore();
      }
      break;
    }
  }
}

/** The three points of an arrow head's open "V": one wing, the tip, the other wing. */
export function arrowHead(el: BoardElement): [[number, number], [number, number], [number, number]] {
  const tx = el.x + el.w;
  const ty = el.y + el.h;
  const ang = Math.atan2(el.h, el.w);
  const len = Math.min(headLength(el), Math.hypot(el.w, el.h) * 0.5 || headLength(el));
  const spread = Math.PI / 7;
  return [
    [tx - len * Math.cos(ang - spread), ty - len * Math.sin(ang - spread)],
    [tx, ty],
    [tx - len * Math.cos(ang + spread), ty - len * Math.sin(ang + spread)],
  ];
}

/** Measures a text element's box for the given content and size. */
export function measureText(text: string, fontSize: number): { w: number; h: number } {
  const lines = text.split('\n');
  const ctx = measureCtx();
  ctx.font = `${fontSize}px ${FONT_FAMILY}`;
  const w = Math.max(1, ...lines.map((l) => ctx.measureText(l).width));
  return { w: Math.ceil(w), h: Math.ceil(lines.length * fontSize * LINE_HEIGHT) };
}

let mctx: CanvasRenderingContext2D | undefined;
function measureCtx() {
  return (mctx ??= document.createElement('canvas').getContext('2d')!);
}
