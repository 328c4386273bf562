// Keeps a BoardModel in step with the group room.
// - Local Yjs updates are batched per tick (~one frame), merged, and sent as archived payload stanzas,
//   chunked under the stanza size limit. They stay in an outbox until the room reflects them back, so
//   edits made offline (or lost with a dropped stream) are sent again after reconnecting. The outbox
//   is also kept in the account's IndexedDB, so a reload before reconnecting loses none of it.
// - Joining reads the room archive (MAM) backwards to the newest complete snapshot and replays what
//   follows it; peers that are online also answer a sync request with whatever the joiner lacks.
// - Any peer writes a new compacted snapshot (Y.encodeStateAsUpdate) once the replay tail grows, so
//   joining costs about one snapshot however old the board is.
// - Cursors travel as unarchived messages (XEP-0334 hints) at most 20 times a second.
import * as Y from 'yjs';
import { queryArchive } from '../core/archive.js';
import type { AccountDb } from '../core/persist/db.js';
import { NS, type Element } from '../core/xmpp.js';
import { REMOTE, type BoardModel } from './model.js';
import {
  Reassembler, buildCursor, buildPayloads, buildSyncRequest, fromBase64, parseCursor, parsePayload, parseSyncRequest,
  type Cursor, type Payload,
} from './protocol.js';
import type { RoomTransport } from './room-transport.js';

export type SyncState = 'connecting' | 'loading' | 'ready' | 'offline';

export interface RemoteCursor extends Cursor { nick: string; seen: number }

const CURSOR_INTERVAL = 50; // ms: ≤ 20 Hz
const FLUSH_DELAY = 16; // ms: at most one update per frame
/** Write a snapshot after this many archived updates since the last one… */
const SNAPSHOT_AFTER_UPDATES = 150;
/** …or once the updates since the last snapshot weigh this much relative to it. */
const SNAPSHOT_TAIL_RATIO = 0.5;
/**
 * A due snapshot waits until the room has had no update for this long (plus jitter): it is the whole
 * board, and strokes sent behind it on the stream wait until every peer has read it. Past the hard
 * cap of updates it goes out anyway, so a board in constant use still compacts.
 */
const SNAPSHOT_QUIET = 1000;
const SNAPSHOT_FORCE_UPDATES = 1000;
/** Archive page size: small first pages, since the newest snapshot is usually near the end. */
const ARCHIVE_PAGE = 100;
/** Deleted elements stay undoable (as tombstones) this long, then snapshots drop them. */
const TOMBSTONE_TTL = 24 * 60 * 60 * 1000;

let seq = 0;
const newId = () => `wb${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export class BoardSync {
  state: SyncState = 'connecting';
  readonly cursors = new Map<string, RemoteCursor>();
  /** Counters for tests and the bench: what went over the wire. */
  readonly stats = { sentUpdates: 0, sentSnapshots: 0, sentStanzas: 0, appliedRemote: 0, archiveItems: 0, resent: 0 };
  private pending: Uint8Array[] = [];
  private readonly unconfirmed = new Map<string, Uint8Array>();
  private flushTimer?: ReturnType<typeof setTimeout>;
  private flushQueued = false;
  private lastFlush = -Infinity;
  private flushing = false;
  private readonly chunks = new Reassembler();
  private lastStanzaId?: string;
  private updatesSinceSnapshot = 0;
  private bytesSinceSnapshot = 0;
  private lastSnapshotBytes = 0;
  private snapshotTimer?: ReturnType<typeof setTimeout>;
  private cursorTimer?: ReturnType<typeof setTimeout>;
  private cursorLastSent = 0;
  private nextCursor?: Cursor;
  private loadRun = 0;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private saveTimer?: ReturnType<typeof setTimeout>;
  private readonly onDocUpdate = (u: Uint8Array, origin: unknown) => {
    if (origin === REMOTE) return;
    this.pending.push(u);
    this.scheduleFlush();
    this.save();
  };

  /** `db`: where the outbox outlives the page (none for guests). */
  constructor(readonly model: BoardModel, readonly room: RoomTransport, private readonly db?: Promise<AccountDb | undefined>) {}

  private get key() {
    return `wb:${this.room.room}`;
  }

  /** Called when state or cursors change. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start() {
    this.model.doc.on('update', this.onDocUpdate);
    this.offs.push(
      this.room.onMessage((m, nick) => this.onMessage(m, nick)),
      this.room.onJoined((fresh) => void this.joined(fresh)),
      this.room.onOccupants(() => this.pruneCursors()),
      this.room.conn.$state.listen((s) => {
        if (s !== 'online' && this.state !== 'connecting') this.setState('offline');
      }),
    );
    this.room.start();
    // What an earlier page could not get into the room: shown now, sent once we are in.
    void this.db?.then((db) => db?.get('meta', this.key) as Promise<Uint8Array | undefined>).then((u) => {
      if (!u) return;
      Y.applyUpdate(this.model.doc, u, REMOTE);
      this.pending.push(u);
      this.scheduleFlush();
    }).catch(() => {});
  }

  /**
   * Stores what the room has not confirmed (at once while offline: the page may be reloaded before
   * the link returns), and forgets it once confirmed.
   */
  private save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.db?.then((db): unknown => {
      const all = [...this.unconfirmed.values(), ...this.pending];
      return all.length ? db?.put('meta', Y.mergeUpdates(all), this.key) : db?.delete('meta', this.key);
    }).catch(() => {}), this.room.ready ? 500 : 0);
  }

  async stop() {
    clearTimeout(this.flushTimer);
    clearTimeout(this.cursorTimer);
    await this.flush().catch(() => {});
    // A snapshot that was due (waiting out its jitter) is written now: whoever leaves last would
    // otherwise leave the next joiner to replay the whole tail.
    const owed = this.snapshotTimer !== undefined;
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    if (owed && this.room.ready) await this.writeSnapshot().catch(() => {});
    if (this.room.ready) await this.room.send(buildCursor(this.room.room, { x: 0, y: 0, name: '', color: '#000000', gone: true })).catch(() => {});
    this.model.doc.off('update', this.onDocUpdate);
    this.offs.splice(0).forEach((o) => o());
    await this.room.stop();
  }

  /** Whether local changes are still waiting to be sent or confirmed by the room. */
  get hasUnsent(): boolean {
    return this.pending.length > 0 || this.unconfirmed.size > 0;
  }

  /** Shares our pointer position (world units); sent at most every 50 ms, the last one always. */
  sendCursor(c: Cursor) {
    this.nextCursor = c;
    if (this.cursorTimer) return;
    const wait = Math.max(0, this.cursorLastSent + CURSOR_INTERVAL - performance.now());
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = undefined;
      const next = this.nextCursor;
      this.nextCursor = undefined;
      if (!next || !this.room.ready) return;
      this.cursorLastSent = performance.now();
      this.stats.sentStanzas++;
      void this.room.send(buildCursor(this.room.room, next)).catch(() => {});
    }, wait);
  }

  private setState(s: SyncState) {
    if (this.state === s) return;
    this.state = s;
    this.emit();
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }

  /**
   * Sends soon: at the end of the current task when nothing went out during the last frame (so a
   * stroke leaves at once), otherwise once that frame is over; everything changed meanwhile is
   * merged into one update.
   */
  private scheduleFlush() {
    if (this.flushTimer || this.flushQueued) return;
    const wait = this.lastFlush + FLUSH_DELAY - performance.now();
    if (wait <= 0) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        void this.flush();
      });
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, wait);
  }

  /** Sends what is pending as one merged update (chunked if large). */
  private async flush() {
    if (this.flushing || !this.pending.length || !this.room.ready) return;
    this.flushing = true;
    this.lastFlush = performance.now();
    const batch = this.pending;
    this.pending = [];
    const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
    try {
      await this.sendUpdate(update);
    } catch {
      // Still offline: keep it for the next flush after reconnecting.
      this.pending.unshift(update);
    } finally {
      this.flushing = false;
    }
    if (this.pending.length) this.scheduleFlush();
  }

  private async sendUpdate(update: Uint8Array) {
    const stanzas = buildPayloads(this.room.room, 'update', update, newId);
    const id = stanzas[0]!.getChild('update', 'urn:x-cc:wb:0')!.attrs.id as string;
    this.unconfirmed.set(id, update);
    for (const s of stanzas) {
      await this.room.send(s);
      this.stats.sentStanzas++;
    }
    this.stats.sentUpdates++;
  }

  private async joined(fresh: boolean) {
    if (fresh) {
      // We may have missed room traffic while away, or never seen the board: read the archive.
      this.setState(this.lastStanzaId ? 'ready' : 'loading');
      await this.loadArchive().catch((e) => console.warn('cc: board archive could not be read', e));
      // Ask peers who are online for anything the archive lacks (e.g. older than its retention).
      await this.room.send(buildSyncRequest(this.room.room, Y.encodeStateVector(this.model.doc))).catch(() => {});
    }
    this.setState('ready');
    // Re-send what the room never confirmed (lost with the old stream, or made offline).
    const again = [...this.unconfirmed.values(), ...this.pending];
    this.unconfirmed.clear();
    this.pending = [];
    if (again.length) {
      this.stats.resent++;
      this.pending.push(Y.mergeUpdates(again));
    }
    await this.flush();
    this.maybeSnapshot();
  }

  /**
   * Catches up from the room archive: forwards from the last stanza we saw, or (first join, or that id
   * has expired) backwards to the newest complete snapshot and the stanza it was taken at.
   */
  private async loadArchive() {
    const run = ++this.loadRun;
    const conn = this.room.conn;
    const items: { stanzaId: string; message: Element }[] = [];
    if (this.lastStanzaId) {
      try {
        let after = this.lastStanzaId;
        for (;;) {
          const page = await queryArchive(conn, { archive: this.room.room, after, max: ARCHIVE_PAGE });
          items.push(...page.items);
          if (page.complete || !page.items.length) break;
          after = page.items[page.items.length - 1]!.stanzaId;
        }
        this.applyArchived(items, run);
        return;
      } catch {
        items.length = 0; // That id is gone from the archive: load from the newest snapshot instead.
      }
    }
    let before = '';
    const seen = new Set<string>();
    const snapshotChunks = new Map<string, { n: number; have: Set<number>; after?: string }>();
    let watermark: string | undefined;
    let found = false;
    for (;;) {
      const page = await queryArchive(conn, { archive: this.room.room, before, max: ARCHIVE_PAGE });
      items.unshift(...page.items);
      for (const it of page.items) seen.add(it.stanzaId);
      if (!found) {
        for (let i = page.items.length - 1; i >= 0 && !found; i--) {
          const p = parsePayload(page.items[i]!.message);
          if (p?.kind !== 'snapshot') continue;
          const key = `${nickOf(page.items[i]!.message)}\u0000${p.id}`;
          let e = snapshotChunks.get(key);
          if (!e) snapshotChunks.set(key, (e = { n: p.n, have: new Set(), after: p.after }));
          e.have.add(p.i);
          if (e.have.size === e.n) {
            found = true;
            watermark = e.after;
          }
        }
      }
      // Done when the snapshot and everything after the stanza it was taken at are in hand.
      if (found && (!watermark || seen.has(watermark))) break;
      if (page.complete || !page.first) break;
      before = page.first;
    }
    this.applyArchived(items, run);
  }

  private applyArchived(items: { stanzaId: string; message: Element }[], run: number) {
    if (run !== this.loadRun) return;
    this.stats.archiveItems += items.length;
    const updates: Uint8Array[] = [];
    const assembler = new Reassembler();
    for (const it of items) {
      const p = parsePayload(it.message);
      if (!p) continue;
      const whole = assembler.add(nickOf(it.message), p);
      if (whole !== null) {
        const bytes = decode(whole);
        if (bytes) updates.push(bytes);
        this.countForSnapshot(p, whole.length);
      }
    }
    if (updates.length) {
      try {
        Y.applyUpdate(this.model.doc, Y.mergeUpdates(updates), REMOTE);
      } catch {
        // One bad update must not hide the rest: apply them one by one, skipping what fails.
        for (const u of updates) try { Y.applyUpdate(this.model.doc, u, REMOTE); } catch { /* malformed */ }
      }
    }
    const newest = items[items.length - 1]?.stanzaId;
    if (newest) this.lastStanzaId = newest;
    this.maybeSnapshot();
  }

  private onMessage(m: Element, nick: string): boolean {
    const type = m.attrs.type;
    if (type === 'error') return false;
    const ours = nick === this.room.nick;
    if (type === 'groupchat') {
      const sid = m.getChildren('stanza-id', NS.sid).find((e) => String(e.attrs.by ?? '').toLowerCase() === this.room.room);
      const p = parsePayload(m);
      if (p) {
        if (sid?.attrs.id) this.lastStanzaId = sid.attrs.id;
        this.onPayload(p, nick, ours);
        return true;
      }
      const c = parseCursor(m);
      if (c) {
        if (!ours) this.onCursor(c, nick);
        return true;
      }
      const sv = parseSyncRequest(m);
      if (sv) {
        if (!ours) this.answerSync(sv, nick);
        return true;
      }
      return false;
    }
    if (type === 'chat') {
      // A peer's private answer to our sync request.
      const p = parsePayload(m);
      if (!p || p.kind !== 'update') return false;
      const whole = this.chunks.add(`pm:${nick}`, p);
      if (whole !== null) this.apply(whole);
      return true;
    }
    return false;
  }

  private onPayload(p: Payload, nick: string, ours: boolean) {
    const whole = this.chunks.add(nick, p);
    if (whole === null) return;
    this.countForSnapshot(p, whole.length);
    if (ours && p.kind === 'update' && this.unconfirmed.delete(p.id)) { // Our own, reflected: confirmed.
      this.save();
      return this.maybeSnapshot();
    }
    this.apply(whole);
    this.maybeSnapshot();
  }

  private apply(b64: string) {
    const bytes = decode(b64);
    if (!bytes) return;
    try {
      Y.applyUpdate(this.model.doc, bytes, REMOTE);
      this.stats.appliedRemote++;
    } catch (e) {
      console.warn('cc: ignored a board update that could not be applied', e);
    }
  }

  private countForSnapshot(p: Payload, size: number) {
    if (p.kind === 'snapshot') {
      this.updatesSinceSnapshot = 0;
      this.bytesSinceSnapshot = 0;
      this.lastSnapshotBytes = size;
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = undefined;
    } else {
      this.updatesSinceSnapshot++;
      this.bytesSinceSnapshot += size;
    }
  }

  private maybeSnapshot() {
    if (this.state !== 'ready' || (this.snapshotTimer && this.updatesSinceSnapshot >= SNAPSHOT_FORCE_UPDATES)) return;
    const due = this.updatesSinceSnapshot >= SNAPSHOT_AFTER_UPDATES
      || (this.bytesSinceSnapshot > 16_384 && this.bytesSinceSnapshot > this.lastSnapshotBytes * SNAPSHOT_TAIL_RATIO);
    if (!due) return;
    // Each update puts it off until the room is quiet. Jitter, so usually one peer writes it; a
    // snapshot from anyone else cancels ours.
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      void this.writeSnapshot();
    }, SNAPSHOT_QUIET + Math.random() * 1500);
  }

  /** Writes the whole board as one archived snapshot (marked with the newest stanza it includes). */
  async writeSnapshot() {
    if (!this.room.ready) return;
    // Elements deleted long ago leave the document for good, so snapshots do not keep growing.
    this.model.purge(TOMBSTONE_TTL);
    const state = Y.encodeStateAsUpdate(this.model.doc);
    const stanzas = buildPayloads(this.room.room, 'snapshot', state, newId, { after: this.lastStanzaId });
    for (const s of stanzas) {
      await this.room.send(s);
      this.stats.sentStanzas++;
    }
    this.stats.sentSnapshots++;
  }

  private answerSync(sv: Uint8Array, nick: string) {
    let diff: Uint8Array;
    try {
      diff = Y.encodeStateAsUpdate(this.model.doc, sv);
    } catch {
      return;
    }
    // An empty update is a couple of bytes; nothing to tell.
    if (diff.length <= 2 || !this.room.ready) return;
    setTimeout(() => {
      const stanzas = buildPayloads(`${this.room.room}/${nick}`, 'update', diff, newId, { type: 'chat', store: false });
      for (const s of stanzas) void this.room.send(s).catch(() => {});
    }, Math.random() * 200);
  }

  private onCursor(c: Cursor, nick: string) {
    if (c.gone) this.cursors.delete(nick);
    else this.cursors.set(nick, { ...c, nick, seen: performance.now() });
    this.emit();
  }

  private pruneCursors() {
    let changed = false;
    for (const nick of this.cursors.keys()) {
      if (!this.room.occupants.has(nick)) {
        this.cursors.delete(nick);
        changed = true;
      }
    }
    if (changed) this.emit();
  }
}

function nickOf(m: Element): string {
  return String(m.attrs.from ?? '').split('/').slice(1).join('/');
}

function decode(b64: string): Uint8Array | null {
  try {
    return fromBase64(b64);
  } catch {
    return null;
  }
}
