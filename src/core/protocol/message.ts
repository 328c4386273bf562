// RFC 6121 chat messages with XEP-0359 ids, XEP-0203 delay and XEP-0280 carbons. Pure functions.
import { NS, xml, type Element } from '../xmpp.js';

export type Direction = 'in' | 'out';
export type Status = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export interface ChatMessage {
  /** Stable identity used for rendering and dedupe; see mergeMessages. */
  key: string;
  conversation: string;
  from: string;
  direction: Direction;
  body: string;
  timestamp: number;
  stanzaId?: string;
  originId?: string;
  id?: string;
  status: Status;
  /** Display name of the sender in rooms (the occupant nick). */
  nick?: string;
  /** A room event (join, leave, subject) rather than something someone wrote. */
  system?: boolean;
  /** Why the server refused our message (status failed). */
  error?: string;
}

export const bare = (jid: string) => jid.split('/')[0]!.toLowerCase();

/**
 * Unwraps carbons (only when they come from our own account: anyone else could forge them) and
 * returns the inner message with whether it was sent by us.
 */
export function unwrapCarbon(stanza: Element, ownBare: string): { message: Element; sent: boolean } | null {
  for (const kind of ['received', 'sent'] as const) {
    const c = stanza.getChild(kind, NS.carbons);
    if (!c) continue;
    if ((stanza.attrs.from ? bare(stanza.attrs.from) : ownBare) !== ownBare) return null;
    const inner = c.getChild('forwarded', NS.forward)?.getChild('message');
    return inner ? { message: inner, sent: kind === 'sent' } : null;
  }
  return { message: stanza, sent: false };
}

interface ParseContext {
  ownBare: string;
  /** For archive results: the id and time the archive gave it. */
  archived?: { stanzaId: string; timestamp: number; by: string };
  sentByUs?: boolean;
  now?: number;
}

/** A 1:1 `chat`/`normal` message with a body, or null for anything else. */
export function parseChatMessage(m: Element, ctx: ParseContext): ChatMessage | null {
  if (!m.is('message')) return null;
  const type = m.attrs.type ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return null;
  const body = m.getChildText('body');
  if (body == null || body === '') return null;
  const from = bare(m.attrs.from ?? ctx.ownBare);
  const to = bare(m.attrs.to ?? ctx.ownBare);
  const out = ctx.sentByUs ?? from === ctx.ownBare;
  const conversation = out ? to : from;
  const originId = m.getChild('origin-id', NS.sid)?.attrs.id as string | undefined;
  // Only our own archive's stanza-id is trustworthy (XEP-0359 §7); senders could forge others.
  const sid = m.getChildren('stanza-id', NS.sid).find((e) => bare(e.attrs.by ?? '') === ctx.ownBare);
  const stanzaId = ctx.archived?.stanzaId ?? (sid?.attrs.id as string | undefined);
  const delay = m.getChild('delay', NS.delay)?.attrs.stamp as string | undefined;
  const timestamp = ctx.archived?.timestamp ?? (delay ? Date.parse(delay) : undefined) ?? ctx.now ?? Date.now();
  const id = m.attrs.id as string | undefined;
  return {
    key: originId ?? stanzaId ?? id ?? `${from}:${timestamp}:${body.length}`,
    conversation, from, direction: out ? 'out' : 'in', body,
    timestamp: Number.isFinite(timestamp) ? timestamp : (ctx.now ?? Date.now()),
    stanzaId, originId, id,
    status: out ? 'sent' : 'received',
  };
}

/** A room message with a body. `ownNick` decides which messages are ours. */
export function parseGroupMessage(m: Element, ctx: { ownNick?: string; archived?: ParseContext['archived']; now?: number }): ChatMessage | null {
  if (!m.is('message') || m.attrs.type !== 'groupchat') return null;
  const body = m.getChildText('body');
  if (body == null || body === '' || !m.attrs.from) return null;
  const full = String(m.attrs.from);
  const slash = full.indexOf('/');
  if (slash < 0) return null;
  const room = full.slice(0, slash).toLowerCase();
  const nick = full.slice(slash + 1);
  const originId = m.getChild('origin-id', NS.sid)?.attrs.id as string | undefined;
  // In rooms only the room's own stanza-id counts (XEP-0359 §7).
  const sid = m.getChildren('stanza-id', NS.sid).find((e) => bare(e.attrs.by ?? '') === room);
  const stanzaId = ctx.archived?.stanzaId ?? (sid?.attrs.id as string | undefined);
  const delay = m.getChild('delay', NS.delay)?.attrs.stamp as string | undefined;
  const t = ctx.archived?.timestamp ?? (delay ? Date.parse(delay) : ctx.now ?? Date.now());
  const out = ctx.ownNick !== undefined && nick === ctx.ownNick;
  const id = m.attrs.id as string | undefined;
  return {
    key: originId ?? stanzaId ?? id ?? `${full}:${t}:${body.length}`,
    conversation: room, from: `${room}/${nick}`, nick, direction: out ? 'out' : 'in', body,
    timestamp: Number.isFinite(t) ? t : Date.now(), stanzaId, originId, id, status: out ? 'sent' : 'received',
  };
}

export function buildGroupMessage(room: string, body: string, id: string): Element {
  return xml('message', { to: room, type: 'groupchat', id },
    xml('body', {}, body),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('markable', { xmlns: NS.markers }),
    xml('active', { xmlns: NS.chatStates }));
}

export function buildChatMessage(to: string, body: string, id: string): Element {
  return xml('message', { to, type: 'chat', id },
    xml('body', {}, body),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('request', { xmlns: NS.receipts }),
    xml('markable', { xmlns: NS.markers }),
    xml('active', { xmlns: NS.chatStates }));
}
