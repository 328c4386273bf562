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
 * sender and origin-id/id) is updated in place rather than added again; the result is sorted by
 * timestamp, keeping arrival order for equal times. Returns `list` itself when nothing changed.
 */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  if (incoming.length === 0) return list;
  const out = list.slice();
  let changed = false;
  let needsSort = false;
  const byKey = new Map<string, number>();
  out.forEach((m, i) => {
    if (m.stanzaId) byKey.set(`s:${m.stanzaId}`, i);
    if (m.originId) byKey.set(`o:${m.from}:${m.originId}`, i);
    if (m.id) byKey.set(`i:${m.from}:${m.id}`, i);
  });
  for (const m of incoming) {
    const idx = [m.stanzaId && `s:${m.stanzaId}`, m.originId && `o:${m.from}:${m.originId}`, m.id && `i:${m.from}:${m.id}`]
      .map((k) => (k ? byKey.get(k) : undefined))
      .find((i) => i !== undefined && sameMessage(out[i]!, m));
    if (idx !== undefined) {
      const merged = combine(out[idx]!, m);
      const prev = out[idx]!;
      if (merged.status !== prev.status || merged.stanzaId !== prev.stanzaId || merged.originId !== prev.originId || merged.id !== prev.id) {
        out[idx] = merged;
        changed = true;
      }
      continue;
    }
    const i = out.length;
    if (i > 0 && out[i - 1]!.timestamp > m.timestamp) needsSort = true;
    out.push(m);
    if (m.stanzaId) byKey.set(`s:${m.stanzaId}`, i);
    if (m.originId) byKey.set(`o:${m.from}:${m.originId}`, i);
    if (m.id) byKey.set(`i:${m.from}:${m.id}`, i);
    changed = true;
  }
  if (!changed) return list;
  if (needsSort) out.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}

export interface MessageStore {
  $messages: ReadableAtom<readonly ChatMessage[]>;
  add(messages: readonly ChatMessage[]): void;
  update(key: string, patch: Partial<ChatMessage>): void;
}

export function createMessageStore(): MessageStore {
  const $messages = atom<readonly ChatMessage[]>([]);
  return {
    $messages,
    add(messages) {
      const next = mergeMessages($messages.get(), messages);
      if (next !== $messages.get()) $messages.set(next);
    },
    update(key, patch) {
      const list = $messages.get();
      const i = list.findIndex((m) => m.key === key);
      if (i < 0) return;
      const next = list.slice();
      next[i] = { ...list[i]!, ...patch };
      $messages.set(next);
    },
  };
}
