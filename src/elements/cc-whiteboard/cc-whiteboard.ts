import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Session } from '../../core/session.js';
import { upload } from '../../core/upload.js';
import { measureText, drawElement, FONT_FAMILY } from '../../whiteboard/draw.js';
import { toPNG, toSVG } from '../../whiteboard/export.js';
import { livePath, penFields, simplify } from '../../whiteboard/freehand.js';
import { box, boundsOf, elementAt, elementsIn, rectFrom } from '../../whiteboard/geometry.js';
import { BoardModel } from '../../whiteboard/model.js';
import { Renderer } from '../../whiteboard/renderer.js';
import { RoomTransport } from '../../whiteboard/room-transport.js';
import { BoardSync, type SyncState } from '../../whiteboard/sync.js';
import type { BoardElement, NewElement, Point, Rect, Tool } from '../../whiteboard/types.js';
import { CcElement } from '../base.js';
import { t } from '../i18n.js';
import { whiteboardStyles } from './styles.js';
import { ICONS } from './icons.js';

const TOOLS: { tool: Tool; key: string }[] = [
  { tool: 'select', key: 'v' }, { tool: 'pen', key: 'p' }, { tool: 'rectangle', key: 'r' }, { tool: 'ellipse', key: 'o' },
  { tool: 'arrow', key: 'a' }, { tool: 'text', key: 't' }, { tool: 'eraser', key: 'e' },
];
const toolLabel = (tool: Tool, l: string) => ({
  select: () => t(l, 'Select'), pen: () => t(l, 'Pen'), rectangle: () => t(l, 'Rectangle'), ellipse: () => t(l, 'Ellipse'),
  arrow: () => t(l, 'Arrow'), text: () => t(l, 'Text'), eraser: () => t(l, 'Eraser'),
})[tool]();
const CURSOR_COLORS = ['#e11d48', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
const HANDLE = 8; // screen px
const GRID = 24; // world units

type Drag =
  | { kind: 'pan'; last: Point }
  | { kind: 'pen'; points: number[]; real: boolean }
  | { kind: 'shape'; tool: 'rectangle' | 'ellipse' | 'arrow'; start: Point; end: Point }
  | { kind: 'erase'; erased: Set<string> }
  | { kind: 'move'; last: Point; moved: boolean }
  | { kind: 'resize'; id: string; handle: number; start: BoardElement }
  | { kind: 'marquee'; start: Point; end: Point; add: boolean };

function colorFor(s: string) {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return CURSOR_COLORS[h % CURSOR_COLORS.length]!;
}

/**
 * A collaborative whiteboard that lives in an XMPP group room: everyone in the room sees the same
 * board, live, and a late joiner gets the full board from the room's archive.
 *
 * @tag cc-whiteboard
 * @fires {CustomEvent<CcBoardChangeDetail>} cc-board-change - The scene changed (here or by a peer). detail: `{ elements, origin: 'local' | 'remote' }`, `elements` being how many the board holds
 * @fires {CustomEvent<CcReadyDetail>} cc-ready - The session is online and the element has rendered. detail: `{ jid }`
 * @fires {CustomEvent<CcConnectionChangeDetail>} cc-connection-change - detail: `{ state: 'connecting' | 'online' | 'offline' | 'error' }`
 * @fires {CustomEvent<CcErrorDetail>} cc-error - Configuration, login, connection or permission problem. detail: `{ code, message, attribute? }`
 * @csspart board - The drawing surface.
 * @csspart toolbar - The tool bar.
 * @csspart zoom - The zoom controls.
 * @csspart status - The connection/loading status line.
 * @csspart error - The error box.
 * @cssprop --cc-accent - Accent colour (selected tool, focus rings).
 * @cssprop --cc-board-bg - Background of the drawing surface.
 * @cssprop --cc-board-grid - Colour of the grid lines (with `grid`).
 * @cssprop --cc-toolbar-bg - Background of the tool bar and zoom controls.
 * @cssprop --cc-border - Border colour.
 * @cssprop --cc-bg - Background of menus.
 * @cssprop --cc-fg - Text colour.
 * @cssprop --cc-radius - Corner radius of the board.
 * @cssprop --cc-font - Font of the controls.
 */
export class CcWhiteboard extends CcElement {
  static override styles = whiteboardStyles;

  static override properties = {
    room: {},
    readonly: { type: Boolean, reflect: true },
    grid: { type: Boolean, reflect: true },
    tool: { attribute: false },
    color: { attribute: false },
    strokeWidth: { attribute: false },
    selection: { attribute: false },
    exportOpen: { attribute: false },
    syncState: { attribute: false },
    zoomPct: { attribute: false },
  };
  /** The group room (bare JID) the board lives in. */
  room?: string;
  /** Shows the board and its live updates, without any tools. */
  readonly = false;
  /** Shows a background grid. */
  grid = false;

  private tool: Tool = 'pen';
  private color = '#111827';
  private strokeWidth = 4;
  private selection = new Set<string>();
  private exportOpen = false;
  private syncState: SyncState = 'connecting';
  private zoomPct = 100;

  private get sceneCanvas() { return this.renderRoot?.querySelector<HTMLCanvasElement>('canvas.scene') ?? undefined; }
  private get overlayCanvas() { return this.renderRoot?.querySelector<HTMLCanvasElement>('canvas.overlay') ?? undefined; }
  private get textEditor() { return this.renderRoot?.querySelector<HTMLTextAreaElement>('textarea.text-editor') ?? undefined; }
  private get boardEl() { return this.renderRoot?.querySelector<HTMLElement>('.board') ?? undefined; }

  private model?: BoardModel;
  private sync?: BoardSync;
  private renderer?: Renderer;
  private raf = 0;
  private drag?: Drag;
  private readonly pointers = new Map<number, Point>();
  private pinch?: { dist: number; mid: Point; zoom: number };
  private spaceDown = false;
  private resizeObserver?: ResizeObserver;
  private editing?: { id?: string; at: Point; fontSize: number; color: string };
  private offModel?: () => void;
  private offSync?: () => void;
  private changeOrigin?: 'local' | 'remote';

  /** The headless scene model (Yjs document, elements, undo): for integrations and tests. */
  get board(): BoardModel | undefined {
    return this.model;
  }

  /** @internal The room sync engine, for tests and the bench. */
  get _sync(): BoardSync | undefined {
    return this.sync;
  }

  /** A PNG of the whole board. */
  async exportPNG(): Promise<Blob> {
    return toPNG(this.model?.ordered() ?? [], 2);
  }

  /** An SVG of the whole board. */
  async exportSVG(): Promise<Blob> {
    return new Blob([toSVG(this.model?.ordered() ?? [])], { type: 'image/svg+xml' });
  }

  /** Removes everything from the board. Only room moderators may; others get an error (and `cc-error`). */
  async clear(): Promise<void> {
    const room = this.sync?.room;
    if (!room || !this.model || room.role !== 'moderator') {
      const message = 'Only a moderator of the room can clear the board';
      this.emit('cc-error', { code: 'forbidden', message });
      throw Object.assign(new Error(message), { code: 'forbidden' });
    }
    this.model.clear();
  }

  protected override sessionAttached(s: Session) {
    this.teardown();
    if (!this.room || !/^[^@/\s]+@[^@/\s]+$/.test(this.room)) {
      this.configError = this.room
        ? { code: 'invalid-attribute', attribute: 'room', message: `"${this.room}" is not a room address like board@conference.example.com` }
        : { code: 'missing-attribute', attribute: 'room', message: 'Set "room" to the group room the board lives in' };
      return;
    }
    const conn = s.connection;
    const me = this.jid ?? conn.bare ?? '';
    const model = new BoardModel(me);
    this.model = model;
    const nick = this.nick || s.config.nick || (this.jid ? this.jid.split('@')[0]! : 'guest');
    const transport = new RoomTransport(conn, s.memberships, this.room, nick);
    const sync = new BoardSync(model, transport);
    this.sync = sync;
    this.offModel = model.onChange((ids, origin) => {
      if (!model.author && conn.bare) model.author = conn.bare;
      this.renderer?.invalidate(ids);
      for (const id of ids) if (!model.get(id)) this.selection.delete(id);
      this.changeOrigin = this.changeOrigin === 'local' ? 'local' : origin;
      this.requestFrame();
      this.requestUpdate();
    });
    this.offSync = sync.onChange(() => {
      this.syncState = sync.state;
      this.requestFrame();
    });
    this.watch(conn.$state, (st) => { if (st === 'online' && !model.author) model.author = conn.bare; });
    sync.start();
    this.setupRenderer();
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('keyup', this.onKeyUp);
    window.addEventListener('blur', this.onWindowBlur);
    window.addEventListener('online', this.onBrowserOnline);
  }

  /** The network is back: reconnect now rather than when the backoff timer fires. */
  private onBrowserOnline = () => this.session?.connection.retryNow();

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('keyup', this.onKeyUp);
    window.removeEventListener('blur', this.onWindowBlur);
    window.removeEventListener('online', this.onBrowserOnline);
    this.teardown();
  }

  private teardown() {
    this.offModel?.();
    this.offSync?.();
    this.offModel = this.offSync = undefined;
    void this.sync?.stop();
    this.sync = undefined;
    this.model = undefined;
    this.renderer = undefined;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (changed.has('room') && this.hasUpdated && this.session) this.sessionAttached(this.session);
    if (changed.has('readonly') && this.readonly) {
      this.selection = new Set();
      this.commitText();
    }
  }

  protected override updated() {
    this.setupRenderer();
  }

  /** Creates the renderer once the canvases exist (after the first render with a model). */
  private setupRenderer() {
    if (this.renderer || !this.model || !this.sceneCanvas || !this.overlayCanvas) return;
    this.renderer = new Renderer(this.sceneCanvas, this.model, () => this.requestFrame());
    const board = this.boardEl!;
    this.resizeObserver = new ResizeObserver(() => this.fit());
    this.resizeObserver.observe(board);
    this.fit();
  }

  private fit() {
    const r = this.renderer;
    const board = this.boardEl;
    const overlay = this.overlayCanvas;
    if (!r || !board || !overlay) return;
    const dpr = window.devicePixelRatio || 1;
    const w = board.clientWidth;
    const h = board.clientHeight;
    r.resize(w, h, dpr);
    overlay.width = Math.round(w * dpr);
    overlay.height = Math.round(h * dpr);
    this.requestFrame();
  }

  private requestFrame() {
    if (this.raf || !this.renderer) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.frame();
    });
  }

  private frame() {
    const r = this.renderer;
    if (!r) return;
    r.render();
    this.drawOverlay();
    this.updateGrid();
    const z = Math.round(r.camera.zoom * 100);
    if (z !== this.zoomPct) this.zoomPct = z;
    if (this.changeOrigin) {
      const origin = this.changeOrigin;
      this.changeOrigin = undefined;
      this.emit('cc-board-change', { elements: this.model?.elements.size ?? 0, origin });
    }
  }

  private updateGrid() {
    const board = this.boardEl;
    const r = this.renderer;
    if (!board || !r || !this.grid) return;
    const size = GRID * r.camera.zoom;
    board.style.backgroundSize = `${size}px ${size}px`;
    board.style.backgroundPosition = `${-r.camera.x * r.camera.zoom}px ${-r.camera.y * r.camera.zoom}px`;
  }

  // ── overlay: selection, previews, remote cursors ──────────────────────────────────────────────

  private drawOverlay() {
    const c = this.overlayCanvas?.getContext('2d');
    const r = this.renderer;
    if (!c || !r || !this.model) return;
    const { dpr } = r.size;
    const { x, y, zoom } = r.camera;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, c.canvas.width, c.canvas.height);
    c.setTransform(dpr * zoom, 0, 0, dpr * zoom, -x * dpr * zoom, -y * dpr * zoom);
    const d = this.drag;
    if (d?.kind === 'pen' && d.points.length) {
      const pts: number[][] = [];
      for (let i = 0; i < d.points.length; i += 3) pts.push([d.points[i]!, d.points[i + 1]!, d.points[i + 2]!]);
      c.fillStyle = this.color;
      c.fill(new Path2D(livePath(pts, this.strokeWidth, d.real)));
    } else if (d?.kind === 'shape') {
      const el = this.shapeFrom(d.tool, d.start, d.end);
      drawElement(c, { ...el, id: '', z: 0, author: '' } as BoardElement, r.paths);
    }
    // Selection boxes and resize handles (screen-sized).
    const px = 1 / zoom;
    c.lineWidth = px;
    c.strokeStyle = '#2563eb';
    for (const id of this.selection) {
      const el = this.model.get(id);
      if (!el) continue;
      const b = box(el);
      c.setLineDash([4 * px, 3 * px]);
      c.strokeRect(b.x - 4 * px, b.y - 4 * px, b.w + 8 * px, b.h + 8 * px);
      c.setLineDash([]);
    }
    if (this.selection.size === 1) {
      const el = this.model.get([...this.selection][0]!);
      if (el && el.type !== 'arrow') {
        c.fillStyle = '#fff';
        for (const h of this.handles(el)) {
          c.fillRect(h.x - (HANDLE / 2) * px, h.y - (HANDLE / 2) * px, HANDLE * px, HANDLE * px);
          c.strokeRect(h.x - (HANDLE / 2) * px, h.y - (HANDLE / 2) * px, HANDLE * px, HANDLE * px);
        }
      }
    }
    if (d?.kind === 'marquee') {
      const m = rectFrom(d.start, d.end);
      c.fillStyle = 'rgb(37 99 235 / 0.08)';
      c.fillRect(m.x, m.y, m.w, m.h);
      c.strokeRect(m.x, m.y, m.w, m.h);
    }
    // Remote cursors: an arrow and the name (drawn as canvas text, never markup).
    for (const cur of this.sync?.cursors.values() ?? []) {
      c.save();
      c.translate(cur.x, cur.y);
      c.scale(px, px);
      c.fillStyle = cur.color;
      c.beginPath();
      c.moveTo(0, 0);
      c.lineTo(0, 16);
      c.lineTo(4.5, 12);
      c.lineTo(11, 12);
      c.closePath();
      c.fill();
      c.font = `12px ${FONT_FAMILY}`;
      const label = cur.name || cur.nick;
      const w = c.measureText(label).width + 8;
      c.fillRect(10, 14, w, 18);
      c.fillStyle = '#fff';
      c.textBaseline = 'middle';
      c.fillText(label, 14, 23);
      c.restore();
    }
  }

  private handles(el: BoardElement): Point[] {
    const b = box(el);
    return [
      { x: b.x, y: b.y }, { x: b.x + b.w, y: b.y },
      { x: b.x + b.w, y: b.y + b.h }, { x: b.x, y: b.y + b.h },
    ];
  }

  // ── pointer input ──────────────────────────────────────────────────────────────────────────

  private world(e: PointerEvent | WheelEvent | DragEvent | MouseEvent): Point {
    const rect = this.overlayCanvas!.getBoundingClientRect();
    return this.renderer!.toWorld(e.clientX - rect.left, e.clientY - rect.top);
  }

  private screen(e: { clientX: number; clientY: number }): Point {
    const rect = this.overlayCanvas!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private onPointerDown = (e: PointerEvent) => {
    const r = this.renderer;
    const model = this.model;
    if (!r || !model) return;
    this.overlayCanvas!.focus({ preventScroll: true });
    try {
      this.overlayCanvas!.setPointerCapture(e.pointerId);
    } catch {
      // Synthetic events have no active pointer to capture; drawing still works.
    }
    this.pointers.set(e.pointerId, this.screen(e));
    if (this.pointers.size === 2) {
      // Two fingers: pinch-zoom and pan; whatever one finger started is abandoned.
      this.cancelDrag();
      const [a, b] = [...this.pointers.values()] as [Point, Point];
      this.pinch = { dist: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, zoom: r.camera.zoom };
      return;
    }
    if (this.pointers.size > 2) return;
    if (this.editing) this.commitText();
    const p = this.world(e);
    if (e.button === 1 || this.spaceDown || this.readonly || (e.button === 0 && e.pointerType === 'touch' && this.tool === 'select' && !elementAt(model.ordered(), p, 8 / r.camera.zoom))) {
      e.preventDefault();
      this.drag = { kind: 'pan', last: this.screen(e) };
      this.boardEl?.classList.add('panning');
      return;
    }
    if (e.button !== 0) return;
    const tol = 6 / r.camera.zoom;
    switch (this.tool) {
      case 'pen': {
        const real = e.pointerType === 'pen' && e.pressure > 0;
        this.drag = { kind: 'pen', points: [p.x, p.y, real ? e.pressure : 0.5], real };
        break;
      }
      case 'rectangle': case 'ellipse': case 'arrow':
        this.drag = { kind: 'shape', tool: this.tool, start: p, end: p };
        break;
      case 'text': {
        const hit = elementAt(model.ordered(), p, tol);
        if (hit?.type === 'text') this.startTextEdit(hit);
        else this.startTextEdit(undefined, p);
        e.preventDefault();
        break;
      }
      case 'eraser': {
        this.drag = { kind: 'erase', erased: new Set() };
        this.eraseAt(p);
        break;
      }
      case 'select': {
        const one = this.selection.size === 1 ? model.get([...this.selection][0]!) : undefined;
        if (one && one.type !== 'arrow') {
          const handle = this.handles(one).findIndex((h) => Math.abs(h.x - p.x) <= HANDLE / r.camera.zoom && Math.abs(h.y - p.y) <= HANDLE / r.camera.zoom);
          if (handle >= 0) {
            this.drag = { kind: 'resize', id: one.id, handle, start: one };
            break;
          }
        }
        const hit = elementAt(model.ordered(), p, tol);
        if (hit) {
          if (e.shiftKey) {
            const s = new Set(this.selection);
            if (s.has(hit.id)) s.delete(hit.id); else s.add(hit.id);
            this.selection = s;
          } else if (!this.selection.has(hit.id)) {
            this.selection = new Set([hit.id]);
          }
          this.drag = { kind: 'move', last: p, moved: false };
        } else {
          if (!e.shiftKey) this.selection = new Set();
          this.drag = { kind: 'marquee', start: p, end: p, add: e.shiftKey };
        }
        break;
      }
    }
    this.requestFrame();
  };

  private onPointerMove = (e: PointerEvent) => {
    const r = this.renderer;
    const model = this.model;
    if (!r || !model) return;
    if (this.pointers.has(e.pointerId)) this.pointers.set(e.pointerId, this.screen(e));
    const p = this.world(e);
    if (!this.readonly && this.sync) this.sync.sendCursor({ x: p.x, y: p.y, name: this.displayName(), color: colorFor(this.displayName()) });
    if (this.pinch && this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()] as [Point, Point];
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      r.panBy(mid.x - this.pinch.mid.x, mid.y - this.pinch.mid.y);
      r.zoomAt(mid.x, mid.y, this.pinch.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / (this.pinch.dist || 1)));
      this.pinch.mid = mid;
      return;
    }
    const d = this.drag;
    if (!d) return;
    switch (d.kind) {
      case 'pan': {
        const s = this.screen(e);
        r.panBy(s.x - d.last.x, s.y - d.last.y);
        d.last = s;
        break;
      }
      case 'pen': {
        const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
        for (const ev of events.length ? events : [e]) {
          const q = this.world(ev);
          d.points.push(q.x, q.y, d.real ? ev.pressure : 0.5);
        }
        break;
      }
      case 'shape':
        d.end = p;
        break;
      case 'erase':
        this.eraseAt(p);
        break;
      case 'move': {
        const dx = p.x - d.last.x;
        const dy = p.y - d.last.y;
        if (dx || dy) {
          model.move(this.selection, dx, dy, d.moved);
          d.moved = true;
          d.last = p;
        }
        break;
      }
      case 'resize':
        this.resizeTo(d, p);
        break;
      case 'marquee':
        d.end = p;
        break;
    }
    this.requestFrame();
  };

  private onPointerUp = (e: PointerEvent) => {
    this.pointers.delete(e.pointerId);
    if (this.pinch) {
      if (this.pointers.size < 2) this.pinch = undefined;
      return;
    }
    const d = this.drag;
    this.drag = undefined;
    this.boardEl?.classList.remove('panning');
    const model = this.model;
    if (!d || !model || e.type === 'pointercancel' && d.kind !== 'pan') { this.requestFrame(); return; }
    switch (d.kind) {
      case 'pen': {
        const pts = simplify(d.points, 0.4 / (this.renderer?.camera.zoom ?? 1));
        model.add({ type: 'pen', color: this.color, width: this.strokeWidth, pressure: d.real || undefined, ...penFields(pts) });
        break;
      }
      case 'shape': {
        const el = this.shapeFrom(d.tool, d.start, d.end);
        if (Math.hypot(el.w, el.h) * (this.renderer?.camera.zoom ?? 1) >= 3) {
          const id = model.add(el);
          if (this.tool === 'select') this.selection = new Set([id]);
        }
        break;
      }
      case 'marquee': {
        const inside = elementsIn(model.ordered(), rectFrom(d.start, d.end)).map((x) => x.id);
        this.selection = new Set([...(d.add ? this.selection : []), ...inside]);
        break;
      }
    }
    this.requestFrame();
  };

  private cancelDrag() {
    this.drag = undefined;
    this.boardEl?.classList.remove('panning');
    this.requestFrame();
  }

  private onWheel = (e: WheelEvent) => {
    const r = this.renderer;
    if (!r) return;
    e.preventDefault();
    const s = this.screen(e);
    if (e.shiftKey) {
      r.panBy(-e.deltaY, -e.deltaX);
      return;
    }
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    r.zoomAt(s.x, s.y, r.camera.zoom * Math.exp(-e.deltaY * unit * (e.ctrlKey ? 0.01 : 0.0015)));
  };

  private shapeFrom(tool: 'rectangle' | 'ellipse' | 'arrow', a: Point, b: Point): NewElement {
    const base = { color: this.color, width: this.strokeWidth };
    if (tool === 'arrow') return { type: 'arrow', x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y, ...base };
    return { type: tool, ...rectFrom(a, b), ...base };
  }

  private eraseAt(p: Point) {
    const model = this.model;
    const d = this.drag;
    if (!model || d?.kind !== 'erase') return;
    const hit = elementAt(model.ordered(), p, 4 / (this.renderer?.camera.zoom ?? 1), false);
    if (!hit || d.erased.has(hit.id)) return;
    model.remove([hit.id], d.erased.size > 0);
    d.erased.add(hit.id);
  }

  private resizeTo(d: Extract<Drag, { kind: 'resize' }>, p: Point) {
    const b = box(d.start);
    // The corner opposite the dragged handle stays put.
    const fixed = [{ x: b.x + b.w, y: b.y + b.h }, { x: b.x, y: b.y + b.h }, { x: b.x, y: b.y }, { x: b.x + b.w, y: b.y }][d.handle]!;
    const nb: Rect = rectFrom(fixed, p);
    const patch: Partial<BoardElement> = { x: nb.x, y: nb.y, w: Math.max(1, nb.w), h: Math.max(1, nb.h) };
    if (d.start.type === 'text') {
      const scale = Math.max(0.1, nb.h / Math.max(1, b.h));
      const fontSize = Math.max(4, (d.start.fontSize ?? 20) * scale);
      const m = measureText(d.start.text ?? '', fontSize);
      Object.assign(patch, { fontSize, w: m.w, h: m.h });
    }
    this.model?.update(d.id, patch, this.model.get(d.id) !== d.start);
  }

  // ── text editing in place ──────────────────────────────────────────────────────────────────

  private startTextEdit(el?: BoardElement, at?: Point) {
    const fontSize = el?.fontSize ?? Math.max(12, this.strokeWidth * 5);
    this.editing = { id: el?.id, at: el ? { x: el.x, y: el.y } : at!, fontSize, color: el?.color ?? this.color };
    this.requestUpdate();
    void this.updateComplete.then(() => {
      const ta = this.textEditor;
      if (!ta) return;
      ta.value = el?.text ?? '';
      this.placeEditor();
      ta.focus();
    });
  }

  private placeEditor() {
    const ta = this.textEditor;
    const r = this.renderer;
    const ed = this.editing;
    if (!ta || !r || !ed) return;
    const s = r.toScreen(ed.at.x, ed.at.y);
    const m = measureText(ta.value || ' ', ed.fontSize);
    Object.assign(ta.style, {
      left: `${s.x}px`, top: `${s.y}px`, fontSize: `${ed.fontSize}px`, color: ed.color,
      width: `${m.w + ed.fontSize}px`, height: `${m.h}px`, transform: `scale(${r.camera.zoom})`,
    });
  }

  private commitText() {
    const ed = this.editing;
    const ta = this.textEditor;
    const model = this.model;
    this.editing = undefined;
    this.requestUpdate();
    if (!ed || !ta || !model) return;
    const text = ta.value.replace(/\s+$/, '');
    const m = measureText(text, ed.fontSize);
    if (ed.id) {
      if (!text) model.remove([ed.id]);
      else if (model.get(ed.id)?.text !== text) model.update(ed.id, { text, w: m.w, h: m.h });
    } else if (text) {
      model.add({ type: 'text', x: ed.at.x, y: ed.at.y, w: m.w, h: m.h, text, fontSize: ed.fontSize, color: ed.color, width: 1 });
    }
    this.overlayCanvas?.focus({ preventScroll: true });
  }

  private onEditorKey = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      this.commitText();
    }
  };

  // ── keyboard ───────────────────────────────────────────────────────────────────────────────

  private onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === ' ') {
      this.spaceDown = true;
      e.preventDefault();
      return;
    }
    if (this.readonly) return;
    if (mod && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      if (e.shiftKey) this.redo(); else this.undo();
    } else if (mod && e.key.toLowerCase() === 'y') {
      e.preventDefault();
      this.redo();
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && this.selection.size) {
      e.preventDefault();
      this.deleteSelection();
    } else if (e.key === 'Escape') {
      this.selection = new Set();
      this.exportOpen = false;
    } else if (!mod && !e.altKey) {
      const hit = TOOLS.find((x) => x.key === e.key.toLowerCase());
      if (hit) this.setTool(hit.tool);
    }
    this.requestFrame();
  };

  private onKeyUp = (e: KeyboardEvent) => {
    if (e.key === ' ') this.spaceDown = false;
  };

  private onWindowBlur = () => {
    this.spaceDown = false;
  };

  // ── actions ────────────────────────────────────────────────────────────────────────────────

  private setTool(t: Tool) {
    if (this.editing) this.commitText();
    this.tool = t;
    if (t !== 'select') this.selection = new Set();
    this.requestFrame();
  }

  private undo() {
    this.model?.undo();
    this.requestUpdate();
  }

  private redo() {
    this.model?.redo();
    this.requestUpdate();
  }

  private deleteSelection() {
    this.model?.remove(this.selection);
    this.selection = new Set();
    // The selection's buttons go away with it: keep the keyboard on the board.
    this.overlayCanvas?.focus({ preventScroll: true });
  }

  private zoomBy(f: number) {
    const r = this.renderer;
    if (!r) return;
    const { w, h } = r.size;
    r.zoomAt(w / 2, h / 2, r.camera.zoom * f);
    this.placeEditor();
  }

  private resetZoom() {
    const r = this.renderer;
    if (!r) return;
    const { w, h } = r.size;
    r.zoomAt(w / 2, h / 2, 1);
  }

  private async download(kind: 'png' | 'svg') {
    this.exportOpen = false;
    const blob = kind === 'png' ? await this.exportPNG() : await this.exportSVG();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `whiteboard.${kind}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  private displayName() {
    return this.nick || this.sync?.room.nick || (this.jid ?? '').split('@')[0] || 'guest';
  }

  // ── image drop (XEP-0363) ─────────────────────────────────────────────────────────────────

  private onDragOver = (e: DragEvent) => {
    if (this.readonly || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  private onDrop = async (e: DragEvent) => {
    if (this.readonly || !this.session || !this.model) return;
    const files = [...(e.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (!files.length) return;
    e.preventDefault();
    let at = this.world(e);
    for (const f of files) {
      try {
        const url = await upload(this.session.connection, f);
        const size = await imageSize(f);
        const scale = Math.min(1, 480 / Math.max(size.w, size.h, 1));
        this.model.add({ type: 'image', x: at.x, y: at.y, w: size.w * scale, h: size.h * scale, src: url, color: '#000000', width: 1 });
        at = { x: at.x + 24, y: at.y + 24 };
      } catch (err) {
        this.emit('cc-error', { code: 'upload-failed', message: `Could not upload ${f.name}: ${(err as Error).message}` });
      }
    }
  };

  // ── rendering ──────────────────────────────────────────────────────────────────────────────

  override render() {
    const err = this.renderError();
    if (this.connectionState === 'error' && !this.model) return err;
    const model = this.model;
    const n = model?.elements.size ?? 0;
    const l = this.language;
    return html`
      <div class="board ${this.grid ? 'grid' : ''} ${this.readonly ? 'readonly' : ''}" part="board" data-tool=${this.tool}
        @keydown=${this.onKeyDown} @dragover=${this.onDragOver} @drop=${this.onDrop}>
        <canvas class="scene" aria-hidden="true"></canvas>
        <canvas class="overlay" tabindex="0" role="img" aria-label=${n === 1 ? t(l, 'Whiteboard, {n} element', { n }) : t(l, 'Whiteboard, {n} elements', { n })}
          @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove} @pointerup=${this.onPointerUp}
          @pointercancel=${this.onPointerUp} @wheel=${this.onWheel} @dblclick=${this.onDblClick}
          @contextmenu=${(e: Event) => e.preventDefault()}></canvas>
        ${this.editing ? html`<textarea class="text-editor" aria-label=${t(l, 'Text')} spellcheck="false"
          @input=${() => this.placeEditor()} @keydown=${this.onEditorKey} @blur=${() => this.commitText()}></textarea>` : nothing}
        ${this.readonly ? nothing : this.renderToolbar()}
        ${!this.readonly && this.tool === 'select' && this.selection.size ? this.renderSelectionActions() : nothing}
        <div class="zoom" part="zoom" role="group" aria-label=${t(l, 'Zoom')}>
          <button aria-label=${t(l, 'Zoom out')} title=${t(l, 'Zoom out')} @click=${() => this.zoomBy(1 / 1.25)}>${ICONS.minus}</button>
          <button aria-label=${t(l, 'Reset zoom')} title=${t(l, 'Reset zoom')} @click=${() => this.resetZoom()}><output>${this.zoomPct}%</output></button>
          <button aria-label=${t(l, 'Zoom in')} title=${t(l, 'Zoom in')} @click=${() => this.zoomBy(1.25)}>${ICONS.plus}</button>
        </div>
        ${this.renderStatus()}
        ${err}
      </div>`;
  }

  private onDblClick = (e: MouseEvent) => {
    if (this.readonly || !this.model || !this.renderer) return;
    const hit = elementAt(this.model.ordered(), this.world(e), 6 / this.renderer.camera.zoom);
    if (hit?.type === 'text') this.startTextEdit(hit);
  };

  private renderToolbar(): TemplateResult {
    const model = this.model;
    const l = this.language;
    return html`<div class="toolbar" part="toolbar" role="toolbar" aria-label=${t(l, 'Whiteboard tools')}>
      ${TOOLS.map((x) => html`<button aria-label=${toolLabel(x.tool, l)} title=${`${toolLabel(x.tool, l)} (${x.key.toUpperCase()})`}
        aria-pressed=${this.tool === x.tool} @click=${() => this.setTool(x.tool)}>${ICONS[x.tool]}</button>`)}
      <span class="sep"></span>
      <input type="color" aria-label=${t(l, 'Colour')} title=${t(l, 'Colour')} .value=${this.color}
        @input=${(e: Event) => { this.color = (e.target as HTMLInputElement).value; this.recolorSelection(); }}>
      <input type="range" aria-label=${t(l, 'Stroke width')} title=${t(l, 'Stroke width')} min="1" max="24" .value=${String(this.strokeWidth)}
        @input=${(e: Event) => { this.strokeWidth = Number((e.target as HTMLInputElement).value); }}>
      <span class="sep"></span>
      <button aria-label=${t(l, 'Undo')} title=${`${t(l, 'Undo')} (Ctrl+Z)`} ?disabled=${!model?.canUndo} @click=${() => this.undo()}>${ICONS.undo}</button>
      <button aria-label=${t(l, 'Redo')} title=${`${t(l, 'Redo')} (Ctrl+Shift+Z)`} ?disabled=${!model?.canRedo} @click=${() => this.redo()}>${ICONS.redo}</button>
      <span class="export">
        <button aria-label=${t(l, 'Export')} title=${t(l, 'Export')} aria-haspopup="menu" aria-expanded=${this.exportOpen}
          @click=${() => { this.exportOpen = !this.exportOpen; }}>${ICONS.export}</button>
        ${this.exportOpen ? html`<div class="menu" role="menu">
          <button role="menuitem" @click=${() => this.download('png')}>${t(l, 'Download PNG')}</button>
          <button role="menuitem" @click=${() => this.download('svg')}>${t(l, 'Download SVG')}</button>
        </div>` : nothing}
      </span>
    </div>`;
  }

  private recolorSelection() {
    const model = this.model;
    if (!model || !this.selection.size) return;
    model.batch(() => { for (const id of this.selection) model.update(id, { color: this.color }, true); });
  }

  private renderSelectionActions() {
    const l = this.language;
    return html`<div class="actions" role="group" aria-label=${t(l, 'Selection')}>
      <button aria-label=${t(l, 'Bring forward')} title=${t(l, 'Bring forward')} @click=${() => this.model?.bringForward(this.selection)}>${ICONS.forward}</button>
      <button aria-label=${t(l, 'Send backward')} title=${t(l, 'Send backward')} @click=${() => this.model?.sendBackward(this.selection)}>${ICONS.backward}</button>
      <button aria-label=${t(l, 'Delete')} title=${t(l, 'Delete')} @click=${() => this.deleteSelection()}>${ICONS.trash}</button>
    </div>`;
  }

  private renderStatus() {
    const conn = this.connectionState;
    const l = this.language;
    const text = conn === 'connecting' ? t(l, 'Connecting…')
      : conn === 'offline' ? (this.sync?.hasUnsent ? t(l, 'Offline — your changes will be sent when reconnected') : t(l, 'Offline — reconnecting…'))
      : this.syncState === 'loading' ? t(l, 'Loading board…')
      : this.syncState === 'connecting' ? t(l, 'Joining the room…') : '';
    return html`<div class="status" part="status" role="status" ?hidden=${!text}>${text}</div>`;
  }

  /** Fits the view to all elements. */
  zoomToFit() {
    const r = this.renderer;
    const b = boundsOf(this.model?.ordered() ?? []);
    if (!r || !b) return;
    const { w, h } = r.size;
    const z = Math.min(4, Math.max(0.1, Math.min(w / (b.w + 40), h / (b.h + 40))));
    r.camera.zoom = z;
    r.camera.x = b.x + b.w / 2 - w / 2 / z;
    r.camera.y = b.y + b.h / 2 - h / 2 / z;
    this.requestFrame();
  }
}

function imageSize(f: File): Promise<{ w: number; h: number }> {
  return createImageBitmap(f).then((b) => {
    const s = { w: b.width, h: b.height };
    b.close();
    return s;
  });
}
