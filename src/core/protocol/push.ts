// Web push stanzas: the push bridge's registration protocol (urn:x-cc:push:0, see
// server/push-bridge/README.md) and XEP-0357 enable/disable on the account's own server. Pure.
import { NS, xml, type Element } from '../xmpp.js';

export const PUSH_NS = {
  bridge: 'urn:x-cc:push:0',
  push: 'urn:xmpp:push:0',
  publishOptions: 'http://jabber.org/protocol/pubsub#publish-options',
} as const;

export interface Registration {
  node: string;
  secret: string;
}

/** Registers a browser subscription (its `toJSON()`) with the bridge. */
export function buildRegister(bridge: string, subscription: unknown, opts: { id: string; url?: string; privacy?: boolean }): Element {
  return xml('iq', { type: 'set', to: bridge, id: opts.id },
    xml('register', { xmlns: PUSH_NS.bridge, ...(opts.url ? { url: opts.url } : {}), ...(opts.privacy ? { privacy: 'true' } : {}) },
      xml('subscription', {}, JSON.stringify(subscription))));
}

/** The node and secret from the bridge's answer, or null. */
export function parseRegistered(iq: Element): Registration | null {
  const r = iq.getChild('registered', PUSH_NS.bridge);
  const node = r?.attrs.node;
  const secret = r?.attrs.secret;
  return typeof node === 'string' && node && typeof secret === 'string' && secret ? { node, secret } : null;
}

export function buildUnregister(bridge: string, node: string, id: string): Element {
  return xml('iq', { type: 'set', to: bridge, id }, xml('unregister', { xmlns: PUSH_NS.bridge, node }));
}

/** XEP-0357 §5: enable push toward the bridge's node, with the secret as a publish option. */
export function buildEnable(bridge: string, reg: Registration, id: string): Element {
  return xml('iq', { type: 'set', id },
    xml('enable', { xmlns: PUSH_NS.push, jid: bridge, node: reg.node },
      xml('x', { xmlns: NS.dataForms, type: 'submit' },
        xml('field', { var: 'FORM_TYPE' }, xml('value', {}, PUSH_NS.publishOptions)),
        xml('field', { var: 'secret' }, xml('value', {}, reg.secret)))));
}

/** XEP-0357 §6: stop pushes to that node. */
export function buildDisable(bridge: string, node: string, id: string): Element {
  return xml('iq', { type: 'set', id }, xml('disable', { xmlns: PUSH_NS.push, jid: bridge, node }));
}
