// The stanzas the bridge understands: XEP-0357 publishes from XMPP servers, and the bridge's own
// small registration protocol (namespace urn:x-cc:push:0) used by the widget. Pure functions.
import { xml } from '@xmpp/component';

export const NS = {
  bridge: 'urn:x-cc:push:0',
  push: 'urn:xmpp:push:0',
  pubsub: 'http://jabber.org/protocol/pubsub',
  data: 'jabber:x:data',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  discoInfo: 'http://jabber.org/protocol/disco#info',
  summary: 'urn:xmpp:push:summary',
  publishOptions: 'http://jabber.org/protocol/pubsub#publish-options',
};

/** @typedef {import('@xmpp/xml').Element} Element */

/** Field values of a data form (XEP-0004), first value per field. @param {Element | undefined} x */
export function formFields(x) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const f of x?.getChildren('field') ?? []) {
    const name = f.attrs.var;
    if (typeof name === 'string') out[name] = f.getChildText('value') ?? '';
  }
  return out;
}

/**
 * An XEP-0357 notification publish: `<pubsub><publish node><item><notification><x/>…` plus the
 * publish-options form carrying the secret. Null when the element is something else.
 * @param {Element} pubsub
 */
export function parsePublish(pubsub) {
  const publish = pubsub.getChild('publish');
  const node = publish?.attrs.node;
  const notification = publish?.getChild('item')?.getChild('notification', NS.push);
  if (!publish || typeof node !== 'string' || !notification) return null;
  const summaryForm = notification.getChildren('x', NS.data)
    .find((x) => formFields(x).FORM_TYPE === NS.summary);
  const summary = formFields(summaryForm);
  const options = formFields(pubsub.getChild('publish-options')?.getChild('x', NS.data));
  return {
    node,
    secret: options.FORM_TYPE === NS.publishOptions ? options.secret : undefined,
    count: Number(summary['message-count'] ?? 1) || 1,
    sender: summary['last-message-sender'] || undefined,
    body: summary['last-message-body'] || undefined,
    // Added by server/push-bridge/prosody/mod_cc_push_hints.lua when that module is loaded.
    kind: summary['x-cc-kind'] === 'call' ? /** @type {const} */ ('call') : /** @type {const} */ ('message'),
    type: summary['x-cc-type'] || undefined,
    video: summary['x-cc-video'] === 'true',
  };
}

/** @param {'cancel' | 'auth' | 'modify' | 'wait'} type @param {string} condition @param {string} [text] */
export function stanzaError(type, condition, text) {
  return xml('error', { type }, xml(condition, { xmlns: NS.stanzas }),
    ...(text ? [xml('text', { xmlns: NS.stanzas }, text)] : []));
}

/**
 * The Web Push payload the service worker reads. Text is left out when `privacy` is set.
 * @param {NonNullable<ReturnType<typeof parsePublish>>} p
 * @param {{ privacy: boolean, url?: string }} opts
 */
export function buildPayload(p, opts) {
  const full = p.sender ?? '';
  const slash = full.indexOf('/');
  const bare = (slash < 0 ? full : full.slice(0, slash)).toLowerCase();
  const groupchat = p.type === 'groupchat';
  /** @type {Record<string, unknown>} */
  const payload = {
    v: 1,
    kind: p.kind,
    conversation: bare || undefined,
    // In a room the sender is the occupant's nickname; in a 1:1 it is the contact's address.
    sender: groupchat && slash >= 0 ? full.slice(slash + 1) : bare || undefined,
    room: groupchat || undefined,
    count: p.count,
    video: p.kind === 'call' ? p.video : undefined,
    url: opts.url,
  };
  if (!opts.privacy && p.body && p.kind === 'message') payload.text = p.body.length > 1000 ? `${p.body.slice(0, 999)}…` : p.body;
  return payload;
}
