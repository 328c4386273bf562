// The message list of one conversation: an immutable, time-ordered array merged without duplicates.
import { atom, type ReadableAtom } from 'nanostores';
import type { ChatMessage } from '../protocol/message.js';

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a.stanzaId && a.stanzaId === b.stanzaId) return true;
  if (a.from !== b.from) return false;
  if (a.originId && a.originId === b.originId) return true;
  // Clients without XEP-0359 still set a stanza id that the archive keeps.
  return !!a.id && a.id === b.id && !(a.originId && b.originId);
}

const RANK = { pending: 0, failed: 0, sent: 1, received: 1, delivered: 2, read: 3 } as const;

function combine(old: ChatMessage, incoming: ChatMessage): ChatMessage {
  const status = RANK[incoming.status] > RANK[old.status] || old.status === 'failed' || old.status === 'pending'
    ? incoming.status : old.status;
  return {
    ...old,
    stanzaId: old.stanzaId ?? incoming.stanzaId,
    originId: old.originId ?? incoming.originId,
    id: old.id ?? incoming.id,
    status,
  };
}

/**
 * Merges `incoming` into `list` (sorted by time). A message already present (same stanza-id, or same
 * sender and origin-id/id) is updated in place rather than added again. A new message that comes in
 * the same batch before a known incoming one goes right before it (archive batches are in archive
 * order, and archive times have one-second resolution, so many tie); a page of `older` history goes
 * in front; anything else is placed by timestamp, keeping arrival order for equal times, but never
 * before a known message that precedes it in the batch (an archive catch-up after messages
 * seen live: their second-resolution times would otherwise sort them in front of the live copies of
 * older ones). A `live` message (as it comes off the stream) goes last: the server delivers in
 * order, while its time may come from another clock (a delay stamp of a resend) and would misplace it
 * by a few ms. `newest` is for a room's echo of our own message: it goes after everything already
 * shown, wherever the local copy was, so everyone in the room sees the same order.
 * Returns `list` itself when nothing changed.
 */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly ChatMessage[], position: Placement = 'auto'): readonly ChatMessage[] {
  if (incoming.length === 0) return list;
  if (position === 'newest') {
    const merged = mergeMessages(list, incoming);
    const moved = merged.filter((x) => incoming.some((m) => sameMessage(x, m)));
    const result = [...merged.filter((x) => !moved.includes(x)), ...moved];
    return result.every((x, i) => x === merged[i]) ? merged : result;
  }
  const out = list.slice();
  let changed = false;
  const byKey = new Map<string, number>();
  const index = (m: ChatMessage, i: number) => {
    if (m.stanzaId) byKey.set(`s:${m.stanzaId}`, i);
    if (m.originId) byKey.set(`o:${m.from}:${m.originId}`, i);
    if (m.id) byKey.set(`i:${m.from}:${m.id}`, i);
  };
  out.forEach(index);
  const found = (m: ChatMessage) => [m.stanzaId && `s:${m.stanzaId}`, m.originId && `o:${m.from}:${m.originId}`, m.id && `i:${m.from}:${m.id}`]
    .map((k) => (k ? byKey.get(k) : undefined))
    .find((i) => i !== undefined && i < list.length && sameMessage(out[i]!, m));

  // Where each incoming message is: an existing index, or new (undefined).
  const at = incoming.map(found);
  // What places new ones next to it. A copy the archive holds under another id than the one shown
  // is the sender's resend of a message that had arrived after all: the batch has it where the
  // resend went, far from where the first copy is shown, so it places nothing. Nor do ours: they
  // sit where they were written, which for one written offline is before what arrived meanwhile
  // (what the batch has after ours still goes after ours); only incoming messages sit where the
  // stream or the archive put them.
  const placed = at.map((idx, i) => (idx !== undefined && !(incoming[i]!.stanzaId && out[idx]!.stanzaId && incoming[i]!.stanzaId !== out[idx]!.stanzaId) ? idx : undefined));
  const anchors = (idx: number | undefined) => (idx !== undefined && out[idx]!.direction === 'in' ? idx : undefined);
  // The nearest known incoming message before each incoming one in batch order, and the nearest
  // known one of any kind.
  const afterIn: (number | undefined)[] = [];
  const afterAny: (number | undefined)[] = [];
  placed.reduce<number | undefined>((prev, idx, i) => ((afterIn[i] = prev), anchors(idx) ?? prev), undefined);
  placed.reduce<number | undefined>((prev, idx, i) => ((afterAny[i] = prev), idx ?? prev), undefined);
  const fresh: { m: ChatMessage; before?: number; afterIn?: number; afterAny?: number }[] = [];
  let anchor: number | undefined;
  for (let i = incoming.length - 1; i >= 0; i--) {
    const m = incoming[i]!;
    const idx = at[i];
    if (idx !== undefined) {
      anchor = anchors(placed[i]) ?? anchor;
      const merged = combine(out[idx]!, m);
      const prev = out[idx]!;
      if (merged.status !== prev.status || merged.stanzaId !== prev.stanzaId || merged.originId !== prev.originId || merged.id !== prev.id) {
        out[idx] = merged;
        changed = true;
      }
    } else if (!fresh.some((f) => sameMessage(f.m, m))) {
      fresh.unshift({ m, before: position === 'older' ? 0 : anchor, afterIn: afterIn[i], afterAny: afterAny[i] });
    }
  }
  if (fresh.length === 0) return changed ? out : list;
  const anchored = new Map<number, ChatMessage[]>();
  const loose: { m: ChatMessage; afterIn?: number; afterAny?: number }[] = [];
  for (const f of fresh) {
    if (f.before === undefined) loose.push(f);
    else anchored.set(f.before, [...(anchored.get(f.before) ?? []), f.m]);
  }
  let result: ChatMessage[] = [];
  out.forEach((m, i) => {
    const ins = anchored.get(i);
    if (ins) result.push(...ins);
    result.push(m);
  });
  if (out.length === 0 && anchored.get(0)) result.push(...anchored.get(0)!);
  // The last message placed after each known one, so a run of new ones keeps the batch's order.
  const placedAfter = new Map<number, ChatMessage>();
  for (const { m, afterIn: a, afterAny: floor } of loose) {
    if (position === 'live') {
      result.push(m);
      continue;
    }
    let i: number;
    if (a !== undefined) {
      // Right after the known message the batch has before it (or what this batch put there),
      // past only what has no place in the archive yet (ours, unconfirmed) and is strictly older.
      // Anything else there with an archive id is later in the archive than this batch (or it
      // would be in it): a gap the archive fills goes before messages seen live ahead of it, whose
      // times (delay stamps of resends, whole seconds) cannot be compared with archive times.
      i = result.indexOf(placedAfter.get(a) ?? out[a]!) + 1;
      while (i < result.length && !result[i]!.stanzaId && result[i]!.timestamp < m.timestamp) i++;
      placedAfter.set(a, m);
    } else {
      // Upper bound on time: equal times keep arrival order.
      i = result.length;
      while (i > 0 && result[i - 1]!.timestamp > m.timestamp) i--;
    }
    if (floor !== undefined) {
      const f = result.indexOf(out[floor]!) + 1;
      if (a === undefined) i = Math.max(i, f);
      // A known message of ours before it in the batch sits where it was written: follow it, but
      // never past an incoming message of the archive, whose order is the sender's.
      else while (i < f && !(result[i]!.direction === 'in' && result[i]!.stanzaId)) i++;
    }
    if (i === result.length) result.push(m);
    else result = [...result.slice(0, i), m, ...result.slice(i)];
  }
  return result;
}

export type Placement = 'older' | 'auto' | 'live' | 'newest';

export interface MessageStore {
  $messages: ReadableAtom<readonly ChatMessage[]>;
  add(messages: readonly ChatMessage[], position?: Placement): void;
  update(key: string, patch: Partial<ChatMessage>): void;
  /** Applies `patch` to every message matching `pred`, in one store update. */
  patchWhere(pred: (m: ChatMessage, index: number) => boolean, patch: Partial<ChatMessage>): void;
  /** Drops every message matching `pred` (e.g. a contact the user just blocked). */
  removeWhere(pred: (m: ChatMessage) => boolean): void;
  /** Sets the whole list (the result of a pure reducer over the current one). */
  replace(list: readonly ChatMessage[]): void;
}

const keysOf = (m: ChatMessage) => [m.stanzaId && `s:${m.stanzaId}`, m.originId && `o:${m.from}:${m.originId}`, m.id && `i:${m.from}:${m.id}`]
  .filter((k): k is string => !!k);

export function createMessageStore(): MessageStore {
  const $messages = atom<readonly ChatMessage[]>([]);
  // The identity keys of every message in `indexed`: lets a live message be appended without
  // re-indexing the whole list (a burst of n messages would otherwise cost n² work).
  let indexed: readonly ChatMessage[] | undefined;
  const keys = new Set<string>();
  const appendFast = (list: readonly ChatMessage[], m: ChatMessage, live: boolean): boolean => {
    const last = list[list.length - 1];
    if (!live && last && m.timestamp < last.timestamp) return false;
    if (indexed !== list) {
      keys.clear();
      for (const x of list) for (const k of keysOf(x)) keys.add(k);
    }
    const mine = keysOf(m);
    if (mine.some((k) => keys.has(k))) return false;
    const next = [...list, m];
    for (const k of mine) keys.add(k);
    indexed = next;
    $messages.set(next);
    return true;
  };
  return {
    $messages,
    add(messages, position = 'auto') {
      const list = $messages.get();
      // Unknown, and live or newer than everything: what mergeMessages would do, without its full pass.
      if (messages.length === 1 && position !== 'older' && appendFast(list, messages[0]!, position === 'live' || position === 'newest')) return;
      const next = mergeMessages(list, messages, position);
      if (next !== list) $messages.set(next);
    },
    update(key, patch) {
      const list = $messages.get();
      const i = list.findIndex((m) => m.key === key);
      if (i < 0) return;
      const next = list.slice();
      next[i] = { ...list[i]!, ...patch };
      $messages.set(next);
    },
    patchWhere(pred, patch) {
      let changed = false;
      const next = $messages.get().map((m, i) => {
        if (!pred(m, i)) return m;
        changed = true;
        return { ...m, ...patch };
      });
      if (changed) $messages.set(next);
    },
    removeWhere(pred) {
      const list = $messages.get();
      const next = list.filter((m) => !pred(m));
      if (next.length !== list.length) $messages.set(next);
    },
    replace(list) {
      if (list !== $messages.get()) $messages.set(list);
    },
  };
}
