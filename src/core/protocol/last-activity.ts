// XEP-0012 last activity: when an offline contact was last seen. Pure.
import { xml, type Element } from '../xmpp.js';

const NS_LAST = 'jabber:iq:last';

export const lastActivityQuery = (jid: string) => xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: NS_LAST }));

/** Epoch milliseconds of last activity, from the seconds-ago the server answered. */
export function parseLastActivity(iq: Element, now = Date.now()): number | undefined {
  const secs = Number(iq.getChild('query', NS_LAST)?.attrs.seconds);
  return Number.isFinite(secs) && secs >= 0 ? now - secs * 1000 : undefined;
}
