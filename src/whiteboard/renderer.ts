// Canvas renderer of the scene. The committed elements are drawn into a back buffer that covers the
// viewport plus a margin, at the current zoom and device pixel ratio (crisp on high-DPI screens):
// - panning only blits the buffer (a full redraw happens when the view leaves it);
// - a changed element redraws only its dirty region (old ∪ new bounds) in the buffer;
// - elements outside the region being drawn are culled by their cached bounds;
// - while zooming, the old buffer is shown scaled and the sharp redraw follows once zooming pauses.
// Pen outlines are cached per element (Path2D). Selection, previews and cursors live on another layer.
import type { BoardModel } from './model.js';
import { ImageCache, PathCache, drawElement } from './draw.js';
import { bounds, contains, intersects, union } from './geometry.js';
import type { Rect } from './types.js';

export interface Camera { x: number; y: number; zoom: number }

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;

export class Renderer {
  /** World point shown at the top-left corner, and scale (screen px per world unit). */
  readonly camera: Camera = { x: 0, y: 0, zoom: 1 };
  readonly paths = new PathCache();
  readonly images: ImageCache;
  private cssW = 1;
  private cssH = 1;
  private dpr = 1;
  private readonly buffer: HTMLCanvasElement;
  private readonly bctx: CanvasRenderingContext2D;
  private bufRect?: Rect;
  private bufZoom = 1;
  private bufDpr = 1;
  private dirty?: Rect;
  private full = true;
  private sharpTimer?: ReturnType<typeof setTimeout>;
  private readonly lastBounds = new Map<string, Rect>();
  private hidden?: string;
  private readonly ctx: CanvasRenderingContext2D;
  /** Counts of work done, for the bench and tests (not used for rendering decisions). */
  readonly stats = { fullRedraws: 0, regionRedraws: 0, blits: 0, drawn: 0 };

  constructor(private readonly canvas: HTMLCanvasElement, private readonly model: BoardModel, private readonly requestFrame: () => void) {
    this.ctx = canvas.getContext('2d')!;
    this.buffer = document.createElement('canvas');
    this.bctx = this.buffer.getContext('2d')!;
    this.images = new ImageCache(() => this.invalidateAll());
    for (const el of model.elements.values()) this.lastBounds.set(el.id, bounds(el));
  }

  resize(cssW: number, cssH: number, dpr: number) {
    if (cssW === this.cssW && cssH === this.cssH && dpr === this.dpr) return;
    this.cssW = Math.max(1, cssW);
    this.cssH = Math.max(1, cssH);
    this.dpr = dpr;
    this.canvas.width = Math.round(this.cssW * dpr);
    this.canvas.height = Math.round(this.cssH * dpr);
    this.invalidateAll();
  }

  get size() { return { w: this.cssW, h: this.cssH, dpr: this.dpr }; }

  /** The world rectangle on screen. */
  viewport(): Rect {
    const { x, y, zoom } = this.camera;
    return { x, y, w: this.cssW / zoom, h: this.cssH / zoom };
  }

  toWorld(sx: number, sy: number) {
    return { x: this.camera.x + sx / this.camera.zoom, y: this.camera.y + sy / this.camera.zoom };
  }

  toScreen(wx: number, wy: number) {
    return { x: (wx - this.camera.x) * this.camera.zoom, y: (wy - this.camera.y) * this.camera.zoom };
  }

  panBy(dxScreen: number, dyScreen: number) {
    this.camera.x -= dxScreen / this.camera.zoom;
    this.camera.y -= dyScreen / this.camera.zoom;
    this.requestFrame();
  }

  /** Zooms keeping the world point under screen point (sx, sy) in place. */
  zoomAt(sx: number, sy: number, zoom: number) {
    const z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    const w = this.toWorld(sx, sy);
    this.camera.zoom = z;
    this.camera.x = w.x - sx / z;
    this.camera.y = w.y - sy / z;
    this.requestFrame();
  }

  /** Marks elements as changed (added, edited or removed). */
  invalidate(ids: Iterable<string>) {
    for (const id of ids) {
      const el = this.model.get(id);
      const old = this.lastBounds.get(id);
      if (old) this.dirty = union(this.dirty, old);
      if (el) {
        const b = bounds(el);
        this.lastBounds.set(id, b);
        this.dirty = union(this.dirty, b);
      } else {
        this.lastBounds.delete(id);
        this.paths.drop(id);
      }
    }
    this.requestFrame();
  }

  /** Leaves one element undrawn (a text being edited in place: its editor shows it instead). */
  hide(id?: string) {
    this.hidden = id;
    this.invalidateAll();
  }

  invalidateAll() {
    this.full = true;
    this.requestFrame();
  }

  /** Brings the screen up to date. Cheap when nothing changed but the pan offset. */
  render() {
    const view = this.viewport();
    const zoomChanged = this.camera.zoom !== this.bufZoom || this.dpr !== this.bufDpr;
    if (!this.bufRect || this.full || (!zoomChanged && !contains(this.bufRect, view))) {
      this.redrawBuffer(view);
    } else if (zoomChanged) {
      // Show the old pixels scaled now; redraw sharp once the zoom gesture pauses.
      clearTimeout(this.sharpTimer);
      this.sharpTimer = setTimeout(() => { this.full = true; this.requestFrame(); }, 120);
      if (this.dirty) this.redrawRegion(this.dirty);
    } else if (this.dirty) {
      this.redrawRegion(this.dirty);
    }
    this.dirty = undefined;
    this.blit(view);
  }

  private redrawBuffer(view: Rect) {
    clearTimeout(this.sharpTimer);
    const mx = view.w / 2;
    const my = view.h / 2;
    const r = { x: view.x - mx, y: view.y - my, w: view.w + 2 * mx, h: view.h + 2 * my };
    const scale = this.camera.zoom * this.dpr;
    const pw = Math.ceil(r.w * scale);
    const ph = Math.ceil(r.h * scale);
    if (this.buffer.width !== pw || this.buffer.height !== ph) {
      this.buffer.width = pw;
      this.buffer.height = ph;
    }
    this.bufRect = r;
    this.bufZoom = this.camera.zoom;
    this.bufDpr = this.dpr;
    this.full = false;
    this.stats.fullRedraws++;
    this.paint(r, true);
  }

  private redrawRegion(region: Rect) {
    const r = this.bufRect!;
    if (!intersects(region, r)) return;
    this.stats.regionRedraws++;
    // Round the clip out to whole buffer pixels so no seams remain.
    const s = this.bufZoom * this.bufDpr;
    const x0 = Math.floor((Math.max(region.x, r.x) - r.x) * s) - 1;
    const y0 = Math.floor((Math.max(region.y, r.y) - r.y) * s) - 1;
    const x1 = Math.ceil((Math.min(region.x + region.w, r.x + r.w) - r.x) * s) + 1;
    const y1 = Math.ceil((Math.min(region.y + region.h, r.y + r.h) - r.y) * s) + 1;
    const world = { x: r.x + x0 / s, y: r.y + y0 / s, w: (x1 - x0) / s, h: (y1 - y0) / s };
    this.paint(world, false, [x0, y0, x1 - x0, y1 - y0]);
  }

  /** Draws every element intersecting `area` (world) into the buffer, optionally clipped to `clip` (buffer px). */
  private paint(area: Rect, clearAll: boolean, clip?: [number, number, number, number]) {
    const c = this.bctx;
    const r = this.bufRect!;
    const s = this.bufZoom * this.bufDpr;
    c.setTransform(1, 0, 0, 1, 0, 0);
    if (clearAll) c.clearRect(0, 0, this.buffer.width, this.buffer.height);
    c.save();
    if (clip) {
      c.beginPath();
      c.rect(...clip);
      c.clip();
      c.clearRect(...clip);
    }
    c.setTransform(s, 0, 0, s, -r.x * s, -r.y * s);
    for (const el of this.model.ordered()) {
      const b = this.lastBounds.get(el.id) ?? bounds(el);
      if (el.id === this.hidden || !intersects(b, area)) continue;
      drawElement(c, el, this.paths, this.images);
      this.stats.drawn++;
    }
    c.restore();
  }

  private blit(view: Rect) {
    const c = this.ctx;
    const r = this.bufRect!;
    this.stats.blits++;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const s = this.bufZoom * this.bufDpr;
    const sx = (view.x - r.x) * s;
    const sy = (view.y - r.y) * s;
    c.imageSmoothingEnabled = this.camera.zoom !== this.bufZoom;
    c.drawImage(this.buffer, sx, sy, view.w * s, view.h * s, 0, 0, this.canvas.width, this.canvas.height);
  }
}
