// Avatars: XEP-0084 (PEP metadata + data nodes) and the older vCard photo (XEP-0054/0153) that many
// servers and clients still use. Pure: builds requests, reads answers, checks what may be shown.
import { xml, type Element } from '../xmpp.js';

export const AVATAR_META = 'urn:xmpp:avatar:metadata';
export const AVATAR_DATA = 'urn:xmpp:avatar:data';
export const VCARD = 'vcard-temp';
export const VCARD_UPDATE = 'vcard-temp:x:update';
const PUBSUB = 'http://jabber.org/protocol/pubsub';
const PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';

/** Raster types only: an SVG avatar is a document, and a picture is all we want to show. */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
export const MAX_AVATAR_BYTES = 256 * 1024;

export interface AvatarInfo {
  /** SHA-1 (hex) of the image data, as XEP-0084 and XEP-0153 name it. */
  id: string;
  type: string;
  bytes?: number;
}

export interface AvatarImage {
  id?: string;
  type: string;
  data: Uint8Array;
}

/** A hint from a contact's presence or a PEP notification that their avatar is (now) `id`. */
export interface AvatarHint {
  jid: string;
  /** Undefined: no avatar (removed). */
  id?: string;
}

export function metadataRequest(to: string): Element {
  return xml('iq', { type: 'get', to }, xml('pubsub', { xmlns: PUBSUB }, xml('items', { node: AVATAR_META, max_items: '1' })));
}

export function dataRequest(to: string, id: string): Element {
  return xml('iq', { type: 'get', to }, xml('pubsub', { xmlns: PUBSUB }, xml('items', { node: AVATAR_DATA }, xml('item', { id }))));
}

export function vcardRequest(to: string): Element {
  return xml('iq', { type: 'get', to }, xml('vCard', { xmlns: VCARD }));
}

/** The first acceptable `<info/>` of a metadata payload; null when the avatar was removed. */
export function parseMetadata(metadata: Element | undefined): AvatarInfo | null {
  for (const info of metadata?.getChildren('info') ?? []) {
    const { id, type, bytes, url } = info.attrs as Record<string, string | undefined>;
    // Entries with a url live elsewhere (XEP-0084 §4.2.1); we only fetch from PEP.
    if (!id || url || !type || !AVATAR_TYPES.includes(type)) continue;
    const n = bytes ? Number(bytes) : undefined;
    if (n !== undefined && !(n > 0 && n <= MAX_AVATAR_BYTES)) continue;
    return { id: id.toLowerCase(), type, bytes: n };
  }
  return null;
}

export function metadataFromItems(iq: Element | null): AvatarInfo | null {
  const item = iq?.getChild('pubsub', PUBSUB)?.getChild('items')?.getChild('item');
  return parseMetadata(item?.getChild('metadata', AVATAR_META));
}

export function dataFromItems(iq: Element, info: AvatarInfo): AvatarImage | null {
  const item = iq.getChild('pubsub', PUBSUB)?.getChild('items')?.getChild('item');
  const data = decode(item?.getChildText('data', AVATAR_DATA));
  return data ? { id: info.id, type: info.type, data } : null;
}

export function imageFromVcard(iq: Element): AvatarImage | null {
  const photo = iq.getChild('vCard', VCARD)?.getChild('PHOTO');
  const type = photo?.getChildText('TYPE')?.trim().toLowerCase();
  if (!type || !AVATAR_TYPES.includes(type)) return null;
  const data = decode(photo?.getChildText('BINVAL'));
  return data ? { type, data } : null;
}

/** A presence's XEP-0153 photo hash: undefined when it says nothing, '' when it says "no photo". */
export function presencePhoto(p: Element): string | undefined {
  const x = p.getChild('x', VCARD_UPDATE);
  if (!x) return undefined;
  const photo = x.getChild('photo');
  // <x/> without <photo/> means "not ready to say" (XEP-0153 §4.1): no hint.
  return photo ? (photo.text().trim().toLowerCase() || '') : undefined;
}

/** A PEP notification about someone's avatar metadata, or null for any other message. */
export function metadataEvent(m: Element): AvatarHint | null {
  const items = m.getChild('event', PUBSUB_EVENT)?.getChild('items');
  if (!items || items.attrs.node !== AVATAR_META || !m.attrs.from) return null;
  const jid = String(m.attrs.from).split('/')[0]!.toLowerCase();
  const info = parseMetadata(items.getChild('item')?.getChild('metadata', AVATAR_META));
  return { jid, id: info?.id };
}

/** Publishes our avatar: the data first, so nobody fetches metadata that points nowhere. */
export function publishAvatar(image: { id: string; type: string; data: Uint8Array; width?: number; height?: number }): [Element, Element] {
  // Open access: guests and room occupants who are not contacts see it too.
  const open = () => xml('publish-options', {}, xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, 'http://jabber.org/protocol/pubsub#publish-options')),
    xml('field', { var: 'pubsub#access_model' }, xml('value', {}, 'open'))));
  const data = xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB },
    xml('publish', { node: AVATAR_DATA }, xml('item', { id: image.id }, xml('data', { xmlns: AVATAR_DATA }, encode(image.data)))),
    open()));
  const info = { id: image.id, type: image.type, bytes: String(image.data.length),
    ...(image.width ? { width: String(image.width), height: String(image.height) } : {}) };
  const meta = xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB },
    xml('publish', { node: AVATAR_META }, xml('item', { id: image.id }, xml('metadata', { xmlns: AVATAR_META }, xml('info', info)))),
    open()));
  return [data, meta];
}

function decode(b64: string | null | undefined): Uint8Array | null {
  if (!b64) return null;
  const clean = b64.replace(/\s+/g, '');
  if (clean.length > Math.ceil(MAX_AVATAR_BYTES / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
  try {
    const bin = atob(clean);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.length ? out : null;
  } catch {
    return null;
  }
}

function encode(data: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** SHA-1 (hex) of image bytes: the id both avatar protocols use. */
export async function avatarId(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-1', data as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}
