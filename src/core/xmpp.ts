// The one place that imports the transport library, so the rest of the core depends on our names.
export { client, xml, jid } from '@xmpp/client';
export type { Client } from '@xmpp/client';
export type { Element } from '@xmpp/xml';

export const NS = {
  client: 'jabber:client',
  roster: 'jabber:iq:roster',
  mam: 'urn:xmpp:mam:2',
  rsm: 'http://jabber.org/protocol/rsm',
  forward: 'urn:xmpp:forward:0',
  delay: 'urn:xmpp:delay',
  sid: 'urn:xmpp:sid:0',
  receipts: 'urn:xmpp:receipts',
  markers: 'urn:xmpp:chat-markers:0',
  chatStates: 'http://jabber.org/protocol/chatstates',
  carbons: 'urn:xmpp:carbons:2',
  hints: 'urn:xmpp:hints',
  dataForms: 'jabber:x:data',
  muc: 'http://jabber.org/protocol/muc',
  ping: 'urn:xmpp:ping',
} as const;
