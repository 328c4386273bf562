// XEP-0184 delivery receipts. Pure.
import { NS, xml, type Element } from '../xmpp.js';

/** The receipt to send back for a message that asked for one, or null. */
export function receiptFor(m: Element, newId: string): Element | null {
  if (m.attrs.type === 'groupchat' || m.attrs.type === 'error' || !m.attrs.from || !m.attrs.id) return null;
  if (!m.getChild('request', NS.receipts) || m.getChild('body') == null) return null;
  return xml('message', { to: m.attrs.from, id: newId, type: m.attrs.type ?? 'chat' },
    xml('received', { xmlns: NS.receipts, id: m.attrs.id }),
    xml('store', { xmlns: NS.hints }));
}

/** The id of our message that a receipt confirms, or null. */
export function receivedId(m: Element): string | null {
  return (m.getChild('received', NS.receipts)?.attrs.id as string | undefined) ?? null;
}
