// Pen strokes: perfect-freehand turns input points into a filled outline; we turn that into an SVG path
// string (used for both Path2D on canvas and the SVG export), and simplify points on commit.
import { getStroke } from 'perfect-freehand';
import { penPoints } from './geometry.js';
import type { BoardElement } from './types.js';

export function strokeOptions(width: number, realPressure: boolean) {
  return { size: width, thinning: 0.5, smoothing: 0.5, streamline: 0.5, simulatePressure: !realPressure, last: true };
}

/** Outline path ("M … Q … Z") of a pen element in world coordinates. */
export function penPath(el: BoardElement): string {
  const pts = penPoints(el);
  const raw = el.points ?? [];
  const input = densify(pts.map((p, i) => [p.x, p.y, raw[i * 3 + 2] ?? 0.5]), Math.max(2, el.width / 2));
  return outlinePath(getStroke(input, strokeOptions(el.width, !!el.pressure)));
}

/**
 * Re-inserts points along long straight runs of a simplified stroke, so the smoothing behaves as it
 * did on the dense input while drawing (the committed stroke looks like its preview).
 */
export function densify(points: number[][], step: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < points.length; i++) {
    const b = points[i]!;
    const a = points[i - 1];
    if (a) {
      const n = Math.floor(Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!) / step);
      for (let k = 1; k < n; k++) {
        const t = k / n;
        out.push([a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t, a[2]! + (b[2]! - a[2]!) * t]);
      }
    }
    out.push(b);
  }
  return out;
}

/** Outline of points still being drawn ([x, y, pressure] in world units). */
export function livePath(points: number[][], width: number, realPressure: boolean): string {
  return outlinePath(getStroke(points, { ...strokeOptions(width, realPressure), last: false }));
}

const f = (n: number) => (Math.round(n * 100) / 100).toString();

/** A smooth closed path through outline points: quadratic curves between midpoints. */
export function outlinePath(outline: number[][]): string {
  const n = outline.length;
  if (n === 0) return '';
  if (n < 3) {
    const [x, y] = outline[0]!;
    return `M${f(x!)} ${f(y!)}Z`;
  }
  const mid = (a: number[], b: number[]) => [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2];
  const start = mid(outline[n - 1]!, outline[0]!);
  let d = `M${f(start[0]!)} ${f(start[1]!)}`;
  for (let i = 0; i < n; i++) {
    const p = outline[i]!;
    const m = mid(p, outline[(i + 1) % n]!);
    d += `Q${f(p[0]!)} ${f(p[1]!)} ${f(m[0]!)} ${f(m[1]!)}`;
  }
  return `${d}Z`;
}

/**
 * Simplifies a stroke's points (Ramer–Douglas–Peucker on x/y, keeping pressure) so a committed stroke
 * stays small on the wire. `points` is flat [x, y, p, …].
 */
export function simplify(points: number[], tolerance = 0.5): number[] {
  const n = points.length / 3;
  if (n <= 2) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = points[a * 3]!, ay = points[a * 3 + 1]!, bx = points[b * 3]!, by = points[b * 3 + 1]!;
    const dx = bx - ax, dy = by - ay;
    const len = Math.hypot(dx, dy);
    let best = -1, bestD = tolerance;
    for (let i = a + 1; i < b; i++) {
      const px = points[i * 3]!, py = points[i * 3 + 1]!;
      const d = len ? Math.abs(dy * px - dx * py + bx * ay - by * ax) / len : Math.hypot(px - ax, py - ay);
      if (d > bestD) { bestD = d; best = i; }
    }
    if (best > 0) {
      keep[best] = 1;
      stack.push([a, best], [best, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i * 3]!, points[i * 3 + 1]!, points[i * 3 + 2]!);
  return out;
}

/**
 * Turns absolute stroke points (flat [x, y, p, …] in world units) into a pen element's fields: origin,
 * size, and points relative to the origin, rounded.
 */
export function penFields(abs: number[]): Pick<BoardElement, 'x' | 'y' | 'w' | 'h' | 'points' | 'pw' | 'ph'> {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < abs.length; i += 3) {
    minX = Math.min(minX, abs[i]!); maxX = Math.max(maxX, abs[i]!);
    minY = Math.min(minY, abs[i + 1]!); maxY = Math.max(maxY, abs[i + 1]!);
  }
  const r = (n: number) => Math.round(n * 10) / 10;
  const points: number[] = [];
  for (let i = 0; i < abs.length; i += 3) points.push(r(abs[i]! - minX), r(abs[i + 1]! - minY), Math.round(abs[i + 2]! * 100) / 100);
  const w = r(maxX - minX), h = r(maxY - minY);
  return { x: r(minX), y: r(minY), w, h, pw: w, ph: h, points };
}
