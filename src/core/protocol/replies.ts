// XEP-0461 replies, with the XEP-0428 fallback quote that clients without reply support show. Pure.
import { xml, type Element } from '../xmpp.js';

export const NS_REPLY = 'urn:xmpp:reply:0';
const NS_FALLBACK = 'urn:xmpp:fallback:0';
const QUOTE_MAX = 200;

export interface ReplyRef {
  /** Id of the answered message: the room's stanza-id in rooms, origin-id or id elsewhere. */
  id: string;
  /** Its author: full JID in rooms, bare JID in 1:1. */
  to?: string;
  /** The fallback quote without its '> ' markers, shown when the answered message is not loaded. */
  quote?: string;
}

/**
 * Reads a reply reference and removes the fallback quote from the body. Fallback ranges count
 * code points (XEP-0426); a range that does not fit the body is ignored rather than trusted.
 */
export function readReply(m: Element, body: string): { body: string; reply?: ReplyRef } {
  const r = m.getChild('reply', NS_REPLY);
  if (!r?.attrs.id) return { body };
  const reply: ReplyRef = { id: String(r.attrs.id), to: r.attrs.to ? String(r.attrs.to) : undefined };
  const range = m.getChildren('fallback', NS_FALLBACK).find((f) => f.attrs.for === NS_REPLY)?.getChild('body');
  const start = Number(range?.attrs.start);
  const end = Number(range?.attrs.end);
  const cps = [...body];
  if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= cps.length) {
    reply.quote = cps.slice(start, end).join('').split('\n').map((l) => l.replace(/^> ?/, '')).join('\n').trim().slice(0, QUOTE_MAX);
    body = (cps.slice(0, start).join('') + cps.slice(end).join('')).replace(/^\n/, '');
  }
  return { body, reply };
}

/**
 * What a reply adds to an outgoing message: the quote that goes before the body on the wire (for
 * clients without replies) and the elements saying which message it answers.
 */
export function replyPayload(target: { id: string; to: string; text: string }): { prefix: string; children: Element[] } {
  const text = target.text.length > QUOTE_MAX ? `${target.text.slice(0, QUOTE_MAX)}…` : target.text;
  const prefix = `${text.split('\n').map((l) => `> ${l}`).join('\n')}\n`;
  return {
    prefix,
    children: [
      xml('reply', { xmlns: NS_REPLY, to: target.to, id: target.id }),
      xml('fallback', { xmlns: NS_FALLBACK, for: NS_REPLY }, xml('body', { start: '0', end: String([...prefix].length) })),
    ],
  };
}
