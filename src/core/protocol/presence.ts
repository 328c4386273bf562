// RFC 6121 presence with XEP-0319 idle times: parsing, the best presence per contact. Pure.
import { xml, type Element } from '../xmpp.js';

export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd' | 'offline';

export interface PresenceInfo {
  show: Show;
  status?: string;
  /** Milliseconds since epoch when the contact was last seen (their idle time, else when they left). */
  lastSeen?: number;
  /** Since when an available contact has been idle (XEP-0319). */
  idleSince?: number;
}

export const NS_IDLE = 'urn:xmpp:idle:1';
export const NS_NICK = 'http://jabber.org/protocol/nick';

/**
 * XEP-0172: the name someone gave themselves, on a message or presence. Anyone can claim any name,
 * so it is plain text, on one line, without direction overrides (which could disguise it), and short.
 */
export function readNick(el: Element): string | undefined {
  const n = el.getChildText('nick', NS_NICK)?.replace(/[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return n ? [...n].slice(0, 64).join('') : undefined;
}

export const nickElement = (nick: string) => xml('nick', { xmlns: NS_NICK }, nick);

export interface PresenceUpdate {
  bare: string;
  resource: string;
  info: PresenceInfo;
  nick?: string;
}

const SHOWS: Show[] = ['chat', 'away', 'xa', 'dnd'];
const ORDER: Record<Show, number> = { chat: 5, available: 4, away: 3, dnd: 2, xa: 1, offline: 0 };

/** Available/unavailable presence from a contact; null for subscriptions, errors, MUC and others. */
export function parsePresence(p: Element, now = Date.now()): PresenceUpdate | null {
  if (!p.is('presence') || !p.attrs.from) return null;
  const type = p.attrs.type as string | undefined;
  if (type && type !== 'unavailable') return null;
  if (p.getChild('x', 'http://jabber.org/protocol/muc#user')) return null;
  const [bareJid, ...rest] = String(p.attrs.from).split('/');
  const showText = p.getChildText('show') as Show | null;
  const show: Show = type === 'unavailable' ? 'offline' : showText && SHOWS.includes(showText) ? showText : 'available';
  const status = p.getChildText('status') ?? undefined;
  // A client's own idle time says when its user was last active, which is better than when it left.
  const since = Date.parse(String(p.getChild('idle', NS_IDLE)?.attrs.since ?? ''));
  const idle = Number.isFinite(since) && since <= now ? since : undefined;
  const info: PresenceInfo = show === 'offline' ? { show, status, lastSeen: idle ?? now } : { show, status, ...(idle ? { idleSince: idle } : {}) };
  return { bare: bareJid!.toLowerCase(), resource: rest.join('/'), info, nick: readNick(p) };
}

/** The most available of a contact's resources. */
export function bestPresence(resources: Iterable<PresenceInfo>, lastSeen?: number): PresenceInfo {
  let best: PresenceInfo | undefined;
  for (const r of resources) if (!best || ORDER[r.show] > ORDER[best.show]) best = r;
  return best && best.show !== 'offline' ? best : { show: 'offline', lastSeen };
}

/** `idleSince`: when the user stepped away (XEP-0319), for contacts' "last seen". */
export function buildPresence(show: Show, status?: string, extra: readonly Element[] = [], idleSince?: number): Element {
  const children = [];
  if (show !== 'available' && show !== 'offline') children.push(xml('show', {}, show));
  if (status) children.push(xml('status', {}, status));
  if (idleSince) children.push(xml('idle', { xmlns: NS_IDLE, since: new Date(idleSince).toISOString() }));
  children.push(...extra);
  return xml('presence', show === 'offline' ? { type: 'unavailable' } : {}, ...children);
}
