// XEP-0308 last message correction. Pure.
import { NS, xml, type Element } from '../xmpp.js';
import { readReply } from './replies.js';

export const NS_CORRECT = 'urn:xmpp:message-correct:0';

/** The corrected message's id and its new text (a repeated reply quote removed), or null. */
export function parseCorrection(m: Element): { ref: string; body: string } | null {
  const ref = m.getChild('replace', NS_CORRECT)?.attrs.id;
  const text = m.getChildText('body');
  if (!ref || !text) return null;
  return { ref: String(ref), body: readReply(m, text).body };
}

/**
 * A correction of message `ref`. The whole message is sent again (XEP-0308 §5), so a reply keeps its
 * reply payload: `prefix` and `payload` come from replyPayload.
 */
export function buildCorrection(to: string, type: 'chat' | 'groupchat', id: string, ref: string, body: string, prefix = '', payload: Element[] = []): Element {
  return xml('message', { to, type, id },
    xml('body', {}, prefix + body),
    xml('replace', { xmlns: NS_CORRECT, id: ref }),
    xml('origin-id', { xmlns: NS.sid, id }),
    ...payload);
}
