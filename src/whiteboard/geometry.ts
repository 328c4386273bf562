// Bounds and hit-testing of board elements, in world coordinates. Pure.
import type { BoardElement, Point, Rect } from './types.js';

/** The element's box with non-negative size (arrows may run in any direction). */
export function box(el: Pick<BoardElement, 'x' | 'y' | 'w' | 'h'>): Rect {
  return { x: Math.min(el.x, el.x + el.w), y: Math.min(el.y, el.y + el.h), w: Math.abs(el.w), h: Math.abs(el.h) };
}

/** Everything the element paints, including half the stroke and arrow heads. */
export function bounds(el: BoardElement): Rect {
  const b = box(el);
  const pad = el.type === 'arrow' ? el.width * 2 + headLength(el) : el.type === 'text' || el.type === 'image' ? 1 : el.width;
  return { x: b.x - pad, y: b.y - pad, w: b.w + pad * 2, h: b.h + pad * 2 };
}

export const headLength = (el: Pick<BoardElement, 'width'>) => Math.max(10, el.width * 4);

export function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

export function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

export function union(a: Rect | undefined, b: Rect): Rect {
  if (!a) return { ...b };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Normalised rectangle spanned by two points. */
export function rectFrom(a: Point, b: Point): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

export function distToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Pen points in world coordinates (scaled when the stroke was resized). */
export function penPoints(el: BoardElement): Point[] {
  const pts = el.points ?? [];
  const sx = el.pw ? el.w / el.pw : 1;
  const sy = el.ph ? el.h / el.ph : 1;
  const out: Point[] = [];
  for (let i = 0; i + 2 < pts.length; i += 3) out.push({ x: el.x + pts[i]! * sx, y: el.y + pts[i + 1]! * sy });
  return out;
}

/**
 * Whether a point (world units) touches the element. `tol` is the slack in world units. Strokes are hit
 * near their line; rectangles, ellipses, text and images anywhere inside too (`inside` false: outline only).
 */
export function hitTest(el: BoardElement, p: Point, tol: number, inside = true): boolean {
  const b = bounds(el);
  if (p.x < b.x - tol || p.y < b.y - tol || p.x > b.x + b.w + tol || p.y > b.y + b.h + tol) return false;
  const reach = el.width / 2 + tol;
  switch (el.type) {
    case 'pen': {
      const pts = penPoints(el);
      if (pts.length === 1) return Math.hypot(p.x - pts[0]!.x, p.y - pts[0]!.y) <= reach;
      for (let i = 1; i < pts.length; i++) if (distToSegment(p, pts[i - 1]!, pts[i]!) <= reach) return true;
      return false;
    }
    case 'arrow':
      return distToSegment(p, { x: el.x, y: el.y }, { x: el.x + el.w, y: el.y + el.h }) <= reach;
    case 'rectangle': {
      const r = box(el);
      const inX = p.x >= r.x - reach && p.x <= r.x + r.w + reach;
      const inY = p.y >= r.y - reach && p.y <= r.y + r.h + reach;
      if (!inX || !inY) return false;
      if (inside) return true;
      return Math.abs(p.x - r.x) <= reach || Math.abs(p.x - r.x - r.w) <= reach || Math.abs(p.y - r.y) <= reach || Math.abs(p.y - r.y - r.h) <= reach;
    }
    case 'ellipse': {
      const r = box(el);
      const rx = r.w / 2;
      const ry = r.h / 2;
      if (rx < 1e-6 || ry < 1e-6) return distToSegment(p, { x: r.x, y: r.y }, { x: r.x + r.w, y: r.y + r.h }) <= reach;
      const nx = (p.x - r.x - rx) / rx;
      const ny = (p.y - r.y - ry) / ry;
      const d = Math.hypot(nx, ny);
      if (inside && d <= 1) return true;
      // Distance to the outline, approximated along the ray from the centre.
      return Math.abs(d - 1) * Math.min(rx, ry) <= reach;
    }
    default: {
      const r = box(el);
      return p.x >= r.x - tol && p.x <= r.x + r.w + tol && p.y >= r.y - tol && p.y <= r.y + r.h + tol;
    }
  }
}

/** The topmost element under a point, or undefined. */
export function elementAt(ordered: readonly BoardElement[], p: Point, tol: number, inside = true): BoardElement | undefined {
  for (let i = ordered.length - 1; i >= 0; i--) if (hitTest(ordered[i]!, p, tol, inside)) return ordered[i];
  return undefined;
}

/** Elements whose box lies fully inside a marquee rectangle. */
export function elementsIn(ordered: readonly BoardElement[], r: Rect): BoardElement[] {
  return ordered.filter((e) => contains(r, box(e)));
}

/** Bounds of several elements together. */
export function boundsOf(els: Iterable<BoardElement>): Rect | undefined {
  let r: Rect | undefined;
  for (const e of els) r = union(r, bounds(e));
  return r;
}
