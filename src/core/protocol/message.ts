// RFC 6121 chat messages with XEP-0359 ids, XEP-0203 delay and XEP-0280 carbons, and what a message
// carries about others (replies, mentions, tombstones). Pure functions.
import { NS, xml, type Element } from '../xmpp.js';
import { readAttachment, type Attachment } from './attachment.js';
import { nickElement } from './presence.js';
import { readReply, type ReplyRef } from './replies.js';
import type { Template } from '../template.js';

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
  /** Of a system line: its English template, for showing it in another language. */
  template?: Template;
  /** XEP-0421: the room's stable id for the sender, when the room assigns one. */
  occupantId?: string;
  /** XEP-0461: the message this one answers. */
  reply?: ReplyRef;
  /** XEP-0372: addresses this message mentions. */
  mentions?: readonly string[];
  /** When the text was last corrected (XEP-0308). */
  edited?: number;
  /** Retracted by its sender (XEP-0424) or by a room moderator (XEP-0425); the text is gone. */
  retracted?: { moderated?: boolean; by?: string; reason?: string };
  /** XEP-0444: one entry per person who reacted (bare JID in 1:1, nick in rooms). */
  reactions?: readonly Reaction[];
  /** Why the server refused our message (status failed). */
  error?: string;
  /** A shared file (XEP-0066 URL with XEP-0446 metadata); the body is then usually its URL. */
  attachment?: Attachment;
}

export interface Reaction {
  by: string;
  emojis: readonly string[];
  /** When this set of reactions was sent; a later set replaces it. */
  t: number;
}

/**
 * The parts of a message beyond its text: a reply (its fallback quote cut from the body),
 * mentions, an attached file, or the tombstone an archive keeps for a retracted message (only archives: live, anyone
 * could send one). Null: nothing to show.
 */
function extras(m: Element, text: string | undefined, archived: unknown): Pick<ChatMessage, 'body' | 'reply' | 'mentions' | 'retracted' | 'attachment'> | null {
  const tomb = archived ? m.getChild('retracted', 'urn:xmpp:message-retract:1') ?? m.getChild('moderated', 'urn:xmpp:message-moderate:0') : undefined;
  if (tomb) {
    const mod = tomb.name === 'moderated' ? tomb : tomb.getChild('moderated', 'urn:xmpp:message-moderate:1');
    return { body: '', retracted: { moderated: !!mod || undefined, by: mod?.attrs.by, reason: tomb.getChildText('reason') ?? undefined } };
  }
  if (!text) return null;
  const mentions = m.getChildren('reference', 'urn:xmpp:reference:0').filter((r) => r.attrs.type === 'mention' && r.attrs.uri).map((r) => String(r.attrs.uri));
  return { ...readReply(m, text), mentions: mentions.length ? mentions.slice(0, 50) : undefined, attachment: readAttachment(m) };
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
  const x = extras(m, m.getChildText('body') ?? undefined, ctx.archived);
  if (!x) return null;
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
    key: originId ?? stanzaId ?? id ?? `${from}:${timestamp}:${x.body.length}`,
    conversation, from, direction: out ? 'out' : 'in', ...x,
    timestamp: Number.isFinite(timestamp) ? timestamp : (ctx.now ?? Date.now()),
    stanzaId, originId, id,
    status: out ? 'sent' : 'received',
  };
}

/** A room message with a body. `ownNick` decides which messages are ours. */
export function parseGroupMessage(m: Element, ctx: { ownNick?: string; archived?: ParseContext['archived']; now?: number }): ChatMessage | null {
  if (!m.is('message') || m.attrs.type !== 'groupchat') return null;
  const x = extras(m, m.getChildText('body') ?? undefined, ctx.archived);
  if (!x || !m.attrs.from) return null;
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
  const occupantId = m.getChildren('occupant-id', 'urn:xmpp:occupant-id:0')[0]?.attrs.id as string | undefined;
  return {
    key: originId ?? stanzaId ?? id ?? `${full}:${t}:${x.body.length}`,
    conversation: room, from: `${room}/${nick}`, nick, direction: out ? 'out' : 'in', ...x, occupantId,
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

/** `nick`: our chosen name (XEP-0172), so someone without us in their roster sees it rather than our address. */
export function buildChatMessage(to: string, body: string, id: string, nick?: string): Element {
  return xml('message', { to, type: 'chat', id },
    xml('body', {}, body),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('request', { xmlns: NS.receipts }),
    xml('markable', { xmlns: NS.markers }),
    xml('active', { xmlns: NS.chatStates }),
    ...(nick ? [nickElement(nick)] : []));
}
