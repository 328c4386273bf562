// Bounced messages (RFC 6120 §8.3 stanza errors on <message/>): which of ours, and why. Pure.
import { bare } from './message.js';
import type { Element } from '../xmpp.js';

const REASONS: Record<string, string> = {
  'service-unavailable': 'the recipient does not accept it',
  'recipient-unavailable': 'the recipient is unavailable',
  'item-not-found': 'no such address or room',
  'not-acceptable': 'you are not in this room',
  forbidden: 'not allowed',
  'not-allowed': 'not allowed',
  gone: 'the room is gone',
  'remote-server-not-found': 'their server cannot be reached',
  'remote-server-timeout': 'their server cannot be reached',
  'resource-constraint': 'the server is busy',
};

/** A message the server or the recipient bounced (type "error"): which of ours, and why. */
export function parseBounce(m: Element): { id: string; from: string; reason: string } | null {
  if (!m.is('message') || m.attrs.type !== 'error' || !m.attrs.id) return null;
  const err = m.getChild('error');
  const cond = err?.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text');
  const condition = cond?.name ?? 'undefined-condition';
  return { id: String(m.attrs.id), from: bare(String(m.attrs.from ?? '')), reason: REASONS[condition] ?? condition.replace(/-/g, ' ') };
}
