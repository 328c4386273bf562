// Service discovery about ourselves (XEP-0030) and entity capabilities (XEP-0115), so other clients
// and the server's PEP service learn what we support without asking every time. Pure.
import { xml, type Element } from '../xmpp.js';

export const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const CAPS = 'http://jabber.org/protocol/caps';
/** The caps node naming this client (a URI per XEP-0115; it need not resolve). */
export const CAPS_NODE = 'https://cc.invalid/caps';

export interface Identity {
  category: string;
  type: string;
  name?: string;
}

/** XEP-0115 §5.1 verification string (without data forms, which we do not publish). */
export function capsString(identities: readonly Identity[], features: Iterable<string>): string {
  const ids = identities.map((i) => `${i.category}/${i.type}//${i.name ?? ''}<`).sort();
  const feats = [...new Set(features)].sort().map((f) => `${f}<`);
  return ids.join('') + feats.join('');
}

/** The base64 SHA-1 of the verification string: the `ver` of our caps. */
export async function capsVer(identities: readonly Identity[], features: Iterable<string>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(capsString(identities, features)));
  let bin = '';
  for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function capsElement(ver: string): Element {
  return xml('c', { xmlns: CAPS, hash: 'sha-1', node: CAPS_NODE, ver });
}

/** The payload answering a disco#info query (echoing its node, if any). */
export function discoInfoResult(identities: readonly Identity[], features: Iterable<string>, node?: string): Element {
  return xml('query', { xmlns: DISCO_INFO, ...(node ? { node } : {}) },
    ...identities.map((i) => xml('identity', { category: i.category, type: i.type, ...(i.name ? { name: i.name } : {}) })),
    ...[...new Set(features)].sort().map((f) => xml('feature', { var: f })));
}
