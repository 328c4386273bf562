// XEP-0402 PEP native bookmarks: rooms that come back after a reload. Pure.
import { NS, xml, type Element } from '../xmpp.js';

const NODE = 'urn:xmpp:bookmarks:1';
const PUBSUB = 'http://jabber.org/protocol/pubsub';

export interface Bookmark {
  room: string;
  name?: string;
  nick?: string;
  autojoin: boolean;
}

export const fetchBookmarks = () => xml('iq', { type: 'get' }, xml('pubsub', { xmlns: PUBSUB }, xml('items', { node: NODE })));

export function parseBookmarks(iq: Element): Bookmark[] {
  const items = iq.getChild('pubsub', PUBSUB)?.getChild('items')?.getChildren('item') ?? [];
  return items.flatMap((it) => {
    const c = it.getChild('conference', NODE);
    if (!c || !it.attrs.id) return [];
    return [{ room: String(it.attrs.id).toLowerCase(), name: c.attrs.name || undefined, nick: c.getChildText('nick') ?? undefined, autojoin: c.attrs.autojoin === 'true' || c.attrs.autojoin === '1' }];
  });
}

export function publishBookmark(b: Bookmark): Element {
  const f = (v: string, value: string) => xml('field', { var: v }, xml('value', {}, value));
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB },
    xml('publish', { node: NODE }, xml('item', { id: b.room },
      xml('conference', { xmlns: NODE, autojoin: String(b.autojoin), ...(b.name ? { name: b.name } : {}) },
        ...(b.nick ? [xml('nick', {}, b.nick)] : [])))),
    xml('publish-options', {}, xml('x', { xmlns: NS.dataForms, type: 'submit' },
      f('FORM_TYPE', 'http://jabber.org/protocol/pubsub#publish-options'),
      f('pubsub#persist_items', 'true'),
      f('pubsub#max_items', 'max'),
      f('pubsub#send_last_published_item', 'never'),
      f('pubsub#access_model', 'whitelist')))));
}

export function retractBookmark(room: string): Element {
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB },
    xml('retract', { node: NODE, notify: 'true' }, xml('item', { id: room }))));
}
