// The board's scene on a Yjs document: a Y.Map of elements (each a Y.Map of fields). Concurrent
// edits from any peer converge; undo/redo only touches transactions made here (tracked origin).
// A plain-object view of the elements is kept up to date incrementally for rendering and hit-tests.
//
// Elements are never removed from the map by a user action: deleting sets a `deleted` stamp, and an
// element is created hidden (untracked) and then revealed (tracked). So undo and redo only ever flip
// or restore fields; they never re-create an element map, which Yjs would do without the fields a
// peer changed concurrently (it never overwrites remote map changes) — leaving a broken element.
// Old tombstones are purged for good (purge()) so the document does not grow without bound.
import * as Y from 'yjs';
import type { BoardElement, NewElement } from './types.js';

/** Origin of transactions made by this user; the only origin the undo manager tracks. */
export const LOCAL = Symbol('cc-wb-local');
/** Origin of local changes that are not undo steps (creating hidden elements, purging tombstones). */
export const QUIET = Symbol('cc-wb-quiet');
/** Origin of updates that arrived from the room. */
export const REMOTE = Symbol('cc-wb-remote');

export type ChangeOrigin = 'local' | 'remote';
export type ChangeListener = (ids: ReadonlySet<string>, origin: ChangeOrigin) => void;

const FIELDS = ['type', 'x', 'y', 'w', 'h', 'color', 'width', 'z', 'author', 'points', 'pw', 'ph', 'pressure', 'text', 'fontSize', 'src'] as const;
const round = (n: number) => Math.round(n * 100) / 100;

export const newElementId = () => {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return [...b].map((x) => (x % 36).toString(36)).join('');
};

export class BoardModel {
  readonly doc: Y.Doc;
  readonly map: Y.Map<Y.Map<unknown>>;
  readonly undoManager: Y.UndoManager;
  /** Plain view of the elements, kept in step with the document. */
  readonly elements = new Map<string, BoardElement>();
  private sorted?: BoardElement[];
  private readonly listeners = new Set<ChangeListener>();
  private merging = false;

  constructor(public author: string, doc = new Y.Doc()) {
    this.doc = doc;
    this.map = doc.getMap('elements');
    // A long capture timeout: every user action starts its own undo step explicitly (see change()).
    // ignoreRemoteMapChanges: undoing restores the value we replaced even when a peer changed it since.
    // Without it Yjs restores nothing when the peer's value was itself overwritten, and the field
    // vanishes (an element without a position).
    this.undoManager = new Y.UndoManager(this.map, { trackedOrigins: new Set([LOCAL]), captureTimeout: 2 ** 30, ignoreRemoteMapChanges: true });
    for (const id of this.map.keys()) this.refresh(id);
    this.map.observeDeep((events, tr) => {
      const ids = new Set<string>();
      for (const e of events) {
        if (e.target === this.map) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) ids.add(k);
        else if (typeof e.path[0] === 'string') ids.add(e.path[0]);
      }
      for (const id of ids) this.refresh(id);
      this.sorted = undefined;
      const origin: ChangeOrigin = tr.origin === LOCAL || tr.origin === QUIET || tr.origin === this.undoManager ? 'local' : 'remote';
      for (const l of this.listeners) l(ids, origin);
    });
  }

  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Elements in drawing order (bottom first). */
  ordered(): readonly BoardElement[] {
    return (this.sorted ??= [...this.elements.values()].sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  get(id: string): BoardElement | undefined {
    return this.elements.get(id);
  }

  /** Adds an element on top of the others; returns its id. */
  add(el: NewElement): string {
    const id = el.id ?? newElementId();
    const z = this.topZ() + 1;
    const fields: [string, unknown][] = [];
    for (const [k, v] of Object.entries({ ...el, z, author: this.author })) {
      if (k !== 'id' && v !== undefined) fields.push([k, typeof v === 'number' ? round(v) : v]);
    }
    fields.push(['deleted', Date.now()]);
    this.doc.transact(() => this.map.set(id, new Y.Map<unknown>(fields)), QUIET);
    this.change(() => this.map.get(id)?.delete('deleted'));
    return id;
  }

  /**
   * Changes fields of an element. `continueStep` merges it into the previous undo step (a drag is one
   * step however many moves it makes).
   */
  update(id: string, patch: Partial<Omit<BoardElement, 'id' | 'author'>>, continueStep = false) {
    const m = this.map.get(id);
    if (!m) return;
    this.change(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) m.delete(k);
        else m.set(k, typeof v === 'number' ? round(v) : v);
      }
    }, continueStep);
  }

  move(ids: Iterable<string>, dx: number, dy: number, continueStep = false) {
    this.change(() => {
      for (const id of ids) {
        const el = this.elements.get(id);
        const m = this.map.get(id);
        if (!el || !m) continue;
        m.set('x', round(el.x + dx));
        m.set('y', round(el.y + dy));
      }
    }, continueStep);
  }

  remove(ids: Iterable<string>, continueStep = false) {
    const now = Date.now();
    this.change(() => {
      for (const id of ids) if (this.elements.has(id)) this.map.get(id)?.set('deleted', now);
    }, continueStep);
  }

  /** Removes every element (the element checks that the user is a room moderator). */
  clear() {
    this.remove([...this.elements.keys()]);
  }

  /** Drops elements deleted more than `olderThanMs` ago from the document for good. Not an undo step. */
  purge(olderThanMs: number, now = Date.now()): number {
    const old: string[] = [];
    for (const [id, m] of this.map) {
      const d = m instanceof Y.Map ? m.get('deleted') : undefined;
      if (typeof d === 'number' && d < now - olderThanMs) old.push(id);
    }
    if (old.length) this.doc.transact(() => old.forEach((id) => this.map.delete(id)), QUIET);
    return old.length;
  }

  /** Moves the elements one step up the stack (above the next element that is above them). */
  bringForward(ids: Iterable<string>) {
    const set = new Set(ids);
    const order = this.ordered();
    const chosen = order.filter((e) => set.has(e.id));
    if (!chosen.length) return;
    const top = chosen[chosen.length - 1]!;
    const above = order.slice(order.indexOf(top) + 1).filter((e) => !set.has(e.id));
    const a0 = above[0];
    if (!a0) return;
    const hi = above[1]?.z ?? a0.z + 1;
    this.restack(chosen, a0.z, (hi - a0.z) / (chosen.length + 1));
  }

  /** Moves the elements one step down the stack. */
  sendBackward(ids: Iterable<string>) {
    const set = new Set(ids);
    const order = this.ordered();
    const chosen = order.filter((e) => set.has(e.id));
    if (!chosen.length) return;
    const below = order.slice(0, order.indexOf(chosen[0]!)).filter((e) => !set.has(e.id));
    const b1 = below[below.length - 1];
    if (!b1) return;
    const b2 = below[below.length - 2];
    const lo = b2 ? b2.z : b1.z - 1;
    const step = (b1.z - lo) / (chosen.length + 1);
    this.restack(chosen, lo, step);
  }

  private restack(chosen: BoardElement[], base: number, step: number) {
    this.change(() => {
      chosen.forEach((e, i) => this.map.get(e.id)?.set('z', base + step * (i + 1)));
    });
  }

  undo() {
    this.undoManager.stopCapturing();
    this.undoManager.undo();
    this.undoManager.stopCapturing();
  }

  redo() {
    this.undoManager.stopCapturing();
    this.undoManager.redo();
    this.undoManager.stopCapturing();
  }

  get canUndo() { return this.undoManager.undoStack.length > 0; }
  get canRedo() { return this.undoManager.redoStack.length > 0; }

  /**
   * The visible scene as a canonical string, read from the document itself: live elements by id, fields
   * in a fixed order. Equal scenes ⇔ equal strings.
   */
  canonical(): string {
    const json = this.map.toJSON() as Record<string, Record<string, unknown>>;
    for (const id of Object.keys(json)) if (json[id]!.deleted !== undefined) delete json[id];
    return canonicalOf(json);
  }

  private topZ(): number {
    const o = this.ordered();
    return o.length ? o[o.length - 1]!.z : 0;
  }

  private change(fn: () => void, continueStep = false) {
    if (!continueStep && !this.merging) this.undoManager.stopCapturing();
    this.doc.transact(fn, LOCAL);
  }

  /** Runs several changes as one undo step. */
  batch(fn: () => void) {
    this.undoManager.stopCapturing();
    this.merging = true;
    try {
      this.doc.transact(fn, LOCAL);
    } finally {
      this.merging = false;
    }
  }

  private refresh(id: string) {
    const m = this.map.get(id);
    if (!(m instanceof Y.Map) || m.has('deleted')) {
      this.elements.delete(id);
      return;
    }
    const el = { id } as Record<string, unknown>;
    for (const k of FIELDS) {
      const v = m.get(k);
      if (v !== undefined) el[k] = v;
    }
    if (!isValid(el)) {
      // A malformed element from a peer is kept in the document but never drawn.
      this.elements.delete(id);
      return;
    }
    this.elements.set(id, el as unknown as BoardElement);
  }
}

const TYPES = new Set(['pen', 'rectangle', 'ellipse', 'arrow', 'text', 'image']);
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function isValid(e: Record<string, unknown>): boolean {
  if (!TYPES.has(e.type as string) || !finite(e.x) || !finite(e.y) || !finite(e.w) || !finite(e.h) || !finite(e.z)) return false;
  if (typeof e.color !== 'string' || !finite(e.width)) return false;
  if (e.type === 'pen' && !(Array.isArray(e.points) && e.points.every(finite))) return false;
  if (e.type === 'text' && typeof e.text !== 'string') return false;
  if (e.type === 'image' && !(typeof e.src === 'string' && /^https?:\/\//.test(e.src))) return false;
  return true;
}

/** Canonical string of a `{ id: { field: value } }` scene: sorted ids and sorted keys. */
export function canonicalOf(scene: Record<string, Record<string, unknown>>): string {
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(Object.keys(scene).sort().map((id) => [id, sortDeep(scene[id])]));
}
