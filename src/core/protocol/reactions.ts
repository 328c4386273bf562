// XEP-0444 message reactions. Pure.
import { xml, type Element } from '../xmpp.js';

export const NS_REACTIONS = 'urn:xmpp:reactions:0';
/** More than this from one person on one message is noise (or an attack); the rest is dropped. */
export const MAX_REACTIONS = 20;

let segmenter: Intl.Segmenter | undefined;

/** One emoji (XEP-0444 §4: a single displayable emoji); anything else is ignored. */
export function isEmoji(s: string): boolean {
  if (!s || s.length > 32 || !/\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(s)) return false;
  segmenter ??= new Intl.Segmenter();
  let n = 0;
  for (const _ of segmenter.segment(s)) if (++n > 1) return false;
  return true;
}

/** The reacted-to message's id and the sender's complete set of reactions (empty: all removed). */
export function parseReactions(m: Element): { ref: string; emojis: string[] } | null {
  const r = m.getChild('reactions', NS_REACTIONS);
  if (!r?.attrs.id) return null;
  const emojis: string[] = [];
  for (const e of r.getChildren('reaction')) {
    const text = e.text().trim();
    if (isEmoji(text) && !emojis.includes(text)) emojis.push(text);
    if (emojis.length >= MAX_REACTIONS) break;
  }
  return { ref: String(r.attrs.id), emojis };
}

export function buildReactions(to: string, type: 'chat' | 'groupchat', id: string, ref: string, emojis: readonly string[]): Element {
  return xml('message', { to, type, id },
    xml('reactions', { xmlns: NS_REACTIONS, id: ref }, ...emojis.map((e) => xml('reaction', {}, e))),
    xml('store', { xmlns: 'urn:xmpp:hints' }));
}
