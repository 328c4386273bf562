// Blocking (XEP-0191) and reporting (XEP-0377) of users and their messages. Pure.
import { xml, type Element } from '../xmpp.js';

export const BLOCKING = 'urn:xmpp:blocking';
export const REPORTING = 'urn:xmpp:reporting:1';

export type ReportReason = 'spam' | 'abuse';

export interface Report {
  reason: ReportReason;
  text?: string;
  /** Stanza-ids of the offending messages, with who assigned them (our server, or the room). */
  messages?: { id: string; by: string }[];
}

export const blocklistRequest = () => xml('iq', { type: 'get' }, xml('blocklist', { xmlns: BLOCKING }));

export function blockRequest(jid: string, report?: Report): Element {
  const item = xml('item', { jid }, ...(report ? [reportElement(report)] : []));
  return xml('iq', { type: 'set' }, xml('block', { xmlns: BLOCKING }, item));
}

export const unblockRequest = (jid: string) =>
  xml('iq', { type: 'set' }, xml('unblock', { xmlns: BLOCKING }, xml('item', { jid })));

function reportElement(r: Report): Element {
  return xml('report', { xmlns: REPORTING, reason: `urn:xmpp:reporting:${r.reason}` },
    ...(r.messages ?? []).map((m) => xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: m.by, id: m.id })),
    ...(r.text ? [xml('text', {}, r.text)] : []));
}

/** The JIDs of a blocklist result or a block/unblock push; an empty unblock push means "all". */
export function blockItems(el: Element | undefined): string[] {
  return (el?.getChildren('item') ?? []).map((i) => String(i.attrs.jid ?? '').toLowerCase()).filter(Boolean);
}
