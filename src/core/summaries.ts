// The conversation list: contacts, rooms and everyone we talked to, most recent activity first. Pure.
import type { Conversation } from './conversation.js';
import type { RosterItem } from './protocol/roster.js';
import type { RoomState } from './rooms.js';

export interface ConversationSummary {
  jid: string;
  kind: 'chat' | 'room';
  name: string;
  preview?: string;
  /** Time of the last message, 0 when none. */
  activity: number;
  unread: number;
}

// One collator for all comparisons: String.prototype.localeCompare builds one per call, which
// dominates sorting a large roster.
const byName = new Intl.Collator(undefined, { sensitivity: 'base' });

export function summarize(
  roster: Readonly<Record<string, RosterItem>>,
  rooms: Readonly<Record<string, RoomState>>,
  conversations: Iterable<Conversation>,
  nameOf: (jid: string) => string,
): ConversationSummary[] {
  const out = new Map<string, ConversationSummary>();
  for (const item of Object.values(roster)) {
    if (item) out.set(item.jid, { jid: item.jid, kind: 'chat', name: item.name || nameOf(item.jid), activity: 0, unread: 0 });
  }
  for (const r of Object.values(rooms)) out.set(r.jid, { jid: r.jid, kind: 'room', name: r.name, activity: 0, unread: 0 });
  for (const c of conversations) {
    const last = c.last;
    const unread = c.$unread.get();
    if (!last && !unread && !out.has(c.jid)) continue;
    const base = out.get(c.jid) ?? { jid: c.jid, kind: c.kind, name: c.kind === 'room' ? rooms[c.jid]?.name ?? c.jid.split('@')[0]! : nameOf(c.jid), activity: 0, unread: 0 };
    const text = last?.retracted ? 'message deleted' : last?.attachment ? `📎 ${last.attachment.name}` : last?.body;
    out.set(c.jid, {
      ...base,
      preview: last ? (last.direction === 'out' ? `You: ${text}` : last.nick ? `${last.nick}: ${text}` : text) : undefined,
      activity: last?.timestamp ?? 0,
      unread,
    });
  }
  return [...out.values()].sort((a, b) => b.activity - a.activity || byName.compare(a.name, b.name));
}
