// @mentions in rooms: XEP-0372 references on the wire, plus the nick-in-text convention most
// clients rely on. Pure.
import { xml, type Element } from '../xmpp.js';

const NS_REFERENCE = 'urn:xmpp:reference:0';

/** The addresses a message mentions through references, if any. */
export function readMentions(m: Element): string[] | undefined {
  const uris = m.getChildren('reference', NS_REFERENCE).filter((r) => r.attrs.type === 'mention' && r.attrs.uri).map((r) => String(r.attrs.uri));
  return uris.length ? uris.slice(0, 50) : undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const patterns = new Map<string, RegExp>();

/** Where `nick` occurs in `text` as a word of its own (not inside a longer word), in UTF-16 offsets. */
export function findNick(text: string, nick: string): { index: number; length: number }[] {
  if (!nick) return [];
  let re = patterns.get(nick);
  if (!re) {
    // Every visible room message asks on each render; nicks are few.
    if (patterns.size > 100) patterns.clear();
    patterns.set(nick, (re = new RegExp(`(?<![\\p{L}\\p{N}_])@?${escapeRe(nick)}(?![\\p{L}\\p{N}_])`, 'giu')));
  }
  return [...text.matchAll(re)].map((m) => ({ index: m.index, length: m[0].length }));
}

/** XEP-0372 references for every `@nick` of an occupant in `text` (offsets in code points). */
export function mentionReferences(text: string, room: string, nicks: readonly string[]): Element[] {
  const out: Element[] = [];
  for (const nick of nicks) {
    for (const { index, length } of findNick(text, nick)) {
      if (text[index] !== '@') continue;
      const begin = [...text.slice(0, index)].length;
      const end = begin + [...text.slice(index, index + length)].length;
      out.push(xml('reference', { xmlns: NS_REFERENCE, type: 'mention', begin: String(begin), end: String(end), uri: `xmpp:${room}/${encodeURIComponent(nick)}` }));
    }
  }
  return out;
}

/** Whether a room message is addressed to us: our nick in its text, or a reference to us. */
export function mentionsMe(m: { body: string; mentions?: readonly string[]; direction: string }, room: string, nick: string | undefined, ownBare: string): boolean {
  if (m.direction === 'out' || !nick) return false;
  const uris = m.mentions ?? [];
  if (uris.includes(`xmpp:${room}/${encodeURIComponent(nick)}`) || uris.includes(`xmpp:${ownBare}`)) return true;
  return findNick(m.body, nick).length > 0;
}

/** The `@prefix` being typed right before the caret, if any. */
export function mentionQuery(beforeCaret: string): { start: number; prefix: string } | null {
  const m = /(?:^|\s)@([^\s@]{0,40})$/u.exec(beforeCaret);
  return m ? { start: beforeCaret.length - m[1]!.length - 1, prefix: m[1]! } : null;
}
