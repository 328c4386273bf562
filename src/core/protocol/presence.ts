// RFC 6121 presence: parsing, per-resource tracking, and the best presence per contact. Pure.
import { xml, type Element } from '../xmpp.js';

export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd' | 'offline';

export interface PresenceInfo {
  show: Show;
  status?: string;
  /** Milliseconds since epoch when the contact was last seen (unavailable presence time). */
  lastSeen?: number;
}

export interface PresenceUpdate {
  bare: string;
  resource: string;
  info: PresenceInfo;
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
  return { bare: bareJid!.toLowerCase(), resource: rest.join('/'), info: { show, status, ...(show === 'offline' ? { lastSeen: now } : {}) } };
}

/** The most available of a contact's resources. */
export function bestPresence(resources: Iterable<PresenceInfo>, lastSeen?: number): PresenceInfo {
  let best: PresenceInfo | undefined;
  for (const r of resources) if (!best || ORDER[r.show] > ORDER[best.show]) best = r;
  return best && best.show !== 'offline' ? best : { show: 'offline', lastSeen };
}

export function buildPresence(show: Show, status?: string, extra: readonly Element[] = []): Element {
  const children = [];
  if (show !== 'available' && show !== 'offline') children.push(xml('show', {}, show));
  if (status) children.push(xml('status', {}, status));
  children.push(...extra);
  return xml('presence', show === 'offline' ? { type: 'unavailable' } : {}, ...children);
}
