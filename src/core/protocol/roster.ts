// RFC 6121 roster and subscriptions. Pure.
import { NS, xml, type Element } from '../xmpp.js';
import { readNick } from './presence.js';

export type Subscription = 'none' | 'to' | 'from' | 'both' | 'remove';

export interface RosterItem {
  jid: string;
  name?: string;
  subscription: Subscription;
  /** We asked to see their presence and wait for an answer. */
  pending: boolean;
  groups: string[];
}

export function parseRosterItems(query: Element | undefined): RosterItem[] {
  if (!query) return [];
  return query.getChildren('item').flatMap((it) => {
    const jid = String(it.attrs.jid ?? '').toLowerCase();
    if (!jid) return [];
    return [{
      jid,
      name: it.attrs.name || undefined,
      subscription: (it.attrs.subscription ?? 'none') as Subscription,
      pending: it.attrs.ask === 'subscribe',
      groups: it.getChildren('group').map((g) => g.text()),
    }];
  });
}

/** A roster push (iq set from our own account or the server). Null if not one or not trusted. */
export function parseRosterPush(iq: Element, ownBare: string): RosterItem[] | null {
  if (!iq.is('iq') || iq.attrs.type !== 'set') return null;
  const q = iq.getChild('query', NS.roster);
  if (!q) return null;
  const from = iq.attrs.from ? String(iq.attrs.from).split('/')[0]!.toLowerCase() : ownBare;
  if (from !== ownBare && from !== ownBare.split('@')[1]) return null;
  return parseRosterItems(q);
}

export const rosterGet = () => xml('iq', { type: 'get' }, xml('query', { xmlns: NS.roster }));

export function rosterSet(jid: string, name?: string, remove = false): Element {
  const attrs: Record<string, string> = { jid };
  if (name) attrs.name = name;
  if (remove) attrs.subscription = 'remove';
  return xml('iq', { type: 'set' }, xml('query', { xmlns: NS.roster }, xml('item', attrs)));
}

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export function subscriptionPresence(to: string, type: SubscriptionType): Element {
  return xml('presence', { to, type });
}

/** An incoming subscription request or answer. */
export function parseSubscription(p: Element): { from: string; type: SubscriptionType; nick?: string } | null {
  const type = p.attrs.type as string | undefined;
  if (!p.is('presence') || !p.attrs.from) return null;
  if (type !== 'subscribe' && type !== 'subscribed' && type !== 'unsubscribe' && type !== 'unsubscribed') return null;
  return { from: String(p.attrs.from).split('/')[0]!.toLowerCase(), type, nick: readNick(p) };
}
