// Applying corrections, retractions, moderation and reactions to a conversation's message list.
// Pure: the runtime (message-actions.ts) keeps actions whose message is not loaded yet and retries.
import type { MessageAction } from '../protocol/actions.js';
import type { ChatMessage, Reaction } from '../protocol/message.js';

/** How a reference names a message: in rooms the room's stanza-id; elsewhere the sender's ids. */
export function matchesRef(m: ChatMessage, ref: string, room: boolean): boolean {
  if (m.system) return false;
  return room ? m.stanzaId === ref : m.id === ref || m.originId === ref;
}

/**
 * Indexes of the messages `a` may change. Corrections and retractions come from the author only
 * (same bare JID in 1:1, same nick and occupant id in rooms; XEP-0308 §5, XEP-0424 §6) and, in
 * rooms, may name the message by its origin-id too (the author may not have the stanza-id yet).
 */
function findTargets(list: readonly ChatMessage[], a: MessageAction): { found: boolean; allowed: number[] } {
  const own = a.kind === 'correct' || a.kind === 'retract';
  let found = false;
  const allowed: number[] = [];
  list.forEach((m, i) => {
    const hit = matchesRef(m, a.ref, a.room) || (own && a.room && !m.system && (m.originId === a.ref || m.id === a.ref));
    if (!hit) return;
    found = true;
    if (own && (m.from !== a.from || (m.occupantId && a.occupantId && m.occupantId !== a.occupantId))) return;
    allowed.push(i);
  });
  return { found, allowed };
}

function change(m: ChatMessage, a: MessageAction): ChatMessage {
  if (m.retracted) return m;
  switch (a.kind) {
    case 'correct':
      // A correction that arrives after a newer one (archive paging goes backwards) is stale.
      if ((m.edited ?? 0) > a.t || (m.body === a.body && m.edited)) return m;
      // A file message corrected into other text is text now (its URL was the body).
      return { ...m, body: a.body, edited: a.t, attachment: m.attachment?.url === a.body.trim() ? m.attachment : undefined };
    case 'retract':
    case 'moderate': {
      const retracted = a.kind === 'moderate' ? { moderated: true, by: a.by, reason: a.reason } : {};
      return { ...m, body: '', retracted, reactions: undefined, reply: undefined, mentions: undefined, attachment: undefined };
    }
    case 'react': {
      const mine = m.reactions?.find((r) => r.by === a.reactor);
      // XEP-0444 §5.2: a delayed reaction loses to a newer one from the same person.
      if (mine && mine.t > a.t) return m;
      if (mine && mine.t === a.t && sameSet(mine.emojis, a.emojis)) return m;
      const others = (m.reactions ?? []).filter((r) => r.by !== a.reactor);
      const reactions: Reaction[] = a.emojis.length ? [...others, { by: a.reactor, emojis: a.emojis, t: a.t }] : others;
      return { ...m, reactions: reactions.length ? reactions : undefined };
    }
  }
}

const sameSet = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((e) => y.includes(e));

/**
 * Applies one action. Returns the new list (the same array when nothing changed, e.g. a correction
 * of someone else's message, which is dropped), or null when the message is not in the list yet.
 */
export function applyAction(list: readonly ChatMessage[], a: MessageAction): readonly ChatMessage[] | null {
  // A moderation only names the room's stanza-id; everything else also needs a match above.
  const { found, allowed } = findTargets(list, a);
  if (!found) return null;
  let out: ChatMessage[] | undefined;
  for (const i of allowed) {
    const next = change(list[i]!, a);
    if (next === list[i]) continue;
    out ??= list.slice();
    out[i] = next;
  }
  return out ?? list;
}

/** Applies actions in order; those whose message is missing come back as `pending`. */
export function applyActions(list: readonly ChatMessage[], actions: readonly MessageAction[]): { list: readonly ChatMessage[]; pending: MessageAction[] } {
  const pending: MessageAction[] = [];
  for (const a of actions) {
    const next = applyAction(list, a);
    if (next === null) pending.push(a);
    else list = next;
  }
  return { list, pending };
}

export interface ReactionCount {
  emoji: string;
  count: number;
  /** Who reacted, in the order they did. */
  by: string[];
  mine: boolean;
}

/** Reactions grouped by emoji, most used first (ties: first used first). */
export function countReactions(reactions: readonly Reaction[] | undefined, me: string): ReactionCount[] {
  const by = new Map<string, ReactionCount>();
  for (const r of [...(reactions ?? [])].sort((p, q) => p.t - q.t)) {
    for (const emoji of r.emojis) {
      const c = by.get(emoji) ?? { emoji, count: 0, by: [], mine: false };
      c.count++;
      c.by.push(r.by);
      c.mine ||= r.by === me;
      by.set(emoji, c);
    }
  }
  return [...by.values()].sort((p, q) => q.count - p.count);
}
