// Messages the server does not have yet, in sending order, kept in IndexedDB so a reload or a crash
// loses none. What the stream knows about each is in memory only: written and awaiting the
// server's ack (in flight), or possibly arrived (uncertain: the stream went away before the ack,
// or the page that wrote it is gone) until the archive tells.
import type { AccountDb, OutboxRecord } from './persist/db.js';

export type { OutboxRecord };

export class Outbox {
  private readonly records = new Map<string, OutboxRecord>();
  private readonly inflight = new Set<string>();
  private readonly uncertain = new Set<string>();
  private lastSeq = 0;

  constructor(private readonly db: Promise<AccountDb | undefined>) {}

  /** Reads what an earlier page left; anything it may have sent is uncertain. */
  async load(): Promise<OutboxRecord[]> {
    const db = await this.db;
    const stored = db ? await db.getAll('outbox') : [];
    for (const r of stored.sort((a, b) => a.seq - b.seq)) {
      if (this.records.has(r.id)) continue;
      this.records.set(r.id, r);
      if (r.state === 'pending') this.uncertain.add(r.id);
      this.lastSeq = Math.max(this.lastSeq, r.seq);
    }
    return this.all();
  }

  add(r: Omit<OutboxRecord, 'seq' | 'state'>): OutboxRecord {
    // Time-based so that order holds across reloads; never equal, never going back.
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now());
    const rec: OutboxRecord = { ...r, seq: this.lastSeq, state: 'pending' };
    this.records.set(rec.id, rec);
    this.save(rec);
    return rec;
  }

  get(id: string): OutboxRecord | undefined {
    return this.records.get(id);
  }

  all(): OutboxRecord[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Pending and not on the current stream, oldest first. */
  ready(): OutboxRecord[] {
    return this.all().filter((r) => r.state === 'pending' && !this.inflight.has(r.id));
  }

  isUncertain(id: string): boolean {
    return this.uncertain.has(id);
  }

  get hasUncertain(): boolean {
    return this.uncertain.size > 0;
  }

  /** Written to the current stream; the server's ack (or the archive) settles it. */
  sending(id: string) {
    this.inflight.add(id);
    this.uncertain.delete(id);
  }

  /** The stream went away before the server acknowledged it. */
  lost(id: string) {
    if (!this.inflight.delete(id)) return;
    if (this.records.get(id)?.state === 'pending') this.uncertain.add(id);
  }

  /** The archive does not have it: it never arrived, so sending it again duplicates nothing. */
  notArrived(id: string) {
    this.uncertain.delete(id);
  }

  /** The server has it. */
  confirm(id: string): OutboxRecord | undefined {
    const r = this.records.get(id);
    this.forget(id);
    return r;
  }

  fail(rec: Omit<OutboxRecord, 'seq' | 'state'> & { seq?: number }, error: string): OutboxRecord {
    const old = this.records.get(rec.id);
    const r: OutboxRecord = { ...rec, seq: old?.seq ?? rec.seq ?? ++this.lastSeq, state: 'failed', error };
    this.inflight.delete(r.id);
    this.uncertain.delete(r.id);
    this.records.set(r.id, r);
    this.save(r);
    return r;
  }

  retry(id: string): OutboxRecord | undefined {
    const r = this.records.get(id);
    if (!r || r.state !== 'failed') return undefined;
    const next: OutboxRecord = { ...r, state: 'pending', error: undefined };
    this.records.set(id, next);
    this.save(next);
    return next;
  }

  private forget(id: string) {
    if (!this.records.delete(id)) return;
    this.inflight.delete(id);
    this.uncertain.delete(id);
    void this.db.then((db) => db?.delete('outbox', id)).catch((e) => console.warn('cc: outbox', e));
  }

  private save(r: OutboxRecord) {
    void this.db.then((db) => db?.put('outbox', r)).catch((e) => console.warn('cc: outbox', e));
  }
}
