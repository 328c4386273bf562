// The board's wire format inside a group room. Pure: building and parsing of our payload elements,
// base64, and chunking under the server's stanza size limit.
//
//   <message type="groupchat" to="room" id="…">                      (no <body>: chat clients ignore it)
//     <update xmlns="urn:x-cc:wb:0" id="…" i="0" n="2">base64 of a Yjs update</update>
//     <store xmlns="urn:xmpp:hints"/>                                  (archived: late joiners replay it)
//   <snapshot xmlns="urn:x-cc:wb:0" id="…" i n after="stanza-id">base64 of the full state</snapshot>
//   <cursor xmlns="urn:x-cc:wb:0" x y name color [gone]/> + <no-store/><no-permanent-store/>
//   <sync xmlns="urn:x-cc:wb:0" sv="base64 state vector"/>  (a peer answers with a private <update/>)
import { NS, xml, type Element } from '../core/xmpp.js';

export const WB_NS = 'urn:x-cc:wb:0';
/**
 * Base64 characters per stanza. Prosody's default c2s limit is 256 KiB and ejabberd's historic one
 * 64 KiB; a chunk plus the envelope stays well under 64 KiB.
 */
export const CHUNK_CHARS = 48_000;
/** Upper bound of a whole board stanza on the wire, checked by the tests. */
export const MAX_STANZA_BYTES = 64 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function chunk(text: string, size = CHUNK_CHARS): string[] {
  if (text.length <= size) return [text];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

export type PayloadKind = 'update' | 'snapshot';

export interface Payload {
  kind: PayloadKind;
  id: string;
  i: number;
  n: number;
  data: string;
  /** Snapshot: the newest room stanza-id already included in it. */
  after?: string;
}

export interface Cursor { x: number; y: number; name: string; color: string; gone?: boolean }

const hints = (store: boolean) => store
  ? [xml('store', { xmlns: NS.hints })]
  : [xml('no-store', { xmlns: NS.hints }), xml('no-permanent-store', { xmlns: NS.hints })];

/** Messages carrying one update or snapshot, chunked. */
export function buildPayloads(to: string, kind: PayloadKind, bytes: Uint8Array, newId: () => string,
  opts: { type?: 'groupchat' | 'chat'; store?: boolean; after?: string } = {}): Element[] {
  const parts = chunk(toBase64(bytes));
  const id = newId();
  const store = opts.store ?? true;
  return parts.map((data, i) => {
    const attrs: Record<string, string> = { xmlns: WB_NS, id };
    if (parts.length > 1) Object.assign(attrs, { i: String(i), n: String(parts.length) });
    if (opts.after) attrs.after = opts.after;
    const mid = parts.length > 1 ? `${id}.${i}` : id;
    return xml('message', { to, type: opts.type ?? 'groupchat', id: mid },
      xml(kind, attrs, data), xml('origin-id', { xmlns: NS.sid, id: mid }), ...hints(store));
  });
}

export function buildCursor(to: string, c: Cursor): Element {
  const attrs: Record<string, string> = { xmlns: WB_NS, x: String(Math.round(c.x)), y: String(Math.round(c.y)), name: c.name, color: c.color };
  if (c.gone) attrs.gone = 'true';
  return xml('message', { to, type: 'groupchat' }, xml('cursor', attrs), ...hints(false));
}

export function buildSyncRequest(to: string, stateVector: Uint8Array): Element {
  return xml('message', { to, type: 'groupchat' }, xml('sync', { xmlns: WB_NS, sv: toBase64(stateVector) }), ...hints(false));
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const int = (s: unknown, dflt: number) => {
  const n = typeof s === 'string' && /^\d{1,6}$/.test(s) ? Number(s) : NaN;
  return Number.isFinite(n) ? n : dflt;
};

/** Reads an update/snapshot payload of a message; null when there is none or it is malformed. */
export function parsePayload(msg: Element): Payload | null {
  for (const kind of ['update', 'snapshot'] as const) {
    const el = msg.getChild(kind, WB_NS);
    if (!el) continue;
    const data = el.getText();
    const id = el.attrs.id;
    const n = int(el.attrs.n, 1);
    const i = int(el.attrs.i, 0);
    if (typeof id !== 'string' || !id || !B64.test(data) || n < 1 || i >= n) return null;
    return { kind, id, i, n, data, after: typeof el.attrs.after === 'string' ? el.attrs.after : undefined };
  }
  return null;
}

export function parseCursor(msg: Element): Cursor | null {
  const el = msg.getChild('cursor', WB_NS);
  if (!el) return null;
  const x = Number(el.attrs.x);
  const y = Number(el.attrs.y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const color = /^#[0-9a-f]{6}$/i.test(el.attrs.color ?? '') ? el.attrs.color : '#888888';
  return { x, y, name: String(el.attrs.name ?? '').slice(0, 64), color, gone: el.attrs.gone === 'true' };
}

export function parseSyncRequest(msg: Element): Uint8Array | null {
  const sv = msg.getChild('sync', WB_NS)?.attrs.sv;
  if (typeof sv !== 'string' || !B64.test(sv)) return null;
  try {
    return fromBase64(sv);
  } catch {
    return null;
  }
}

/**
 * Puts chunked payloads back together. Chunks of one payload share (sender, id) and may arrive in any
 * order (live and from the archive). Bounded, so hostile senders cannot exhaust memory.
 */
export class Reassembler {
  private readonly partial = new Map<string, { parts: (string | undefined)[]; have: number; size: number }>();
  private size = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** Returns the whole base64 text when the last missing chunk arrives. */
  add(sender: string, p: Payload): string | null {
    if (p.n === 1) return p.data;
    const key = `${sender}\u0000${p.kind}\u0000${p.id}`;
    let entry = this.partial.get(key);
    if (!entry) {
      entry = { parts: new Array(p.n), have: 0, size: 0 };
      this.partial.set(key, entry);
    }
    if (entry.parts.length !== p.n || entry.parts[p.i] !== undefined) return null;
    entry.parts[p.i] = p.data;
    entry.have++;
    entry.size += p.data.length;
    this.size += p.data.length;
    if (entry.have === p.n) {
      this.partial.delete(key);
      this.size -= entry.size;
      return entry.parts.join('');
    }
    while (this.size > this.maxBytes && this.partial.size) {
      const [k, e] = this.partial.entries().next().value!;
      this.partial.delete(k);
      this.size -= e.size;
    }
    return null;
  }

  /** Whether chunks of this payload are still missing. */
  pending(sender: string, kind: PayloadKind, id: string): boolean {
    return this.partial.has(`${sender}\u0000${kind}\u0000${id}`);
  }
}
