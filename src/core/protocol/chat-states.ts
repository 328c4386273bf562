// XEP-0085 chat state notifications and XEP-0333 displayed markers. Pure.
import { NS, xml, type Element } from '../xmpp.js';

export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';
const STATES: ChatState[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

export function parseChatState(m: Element): ChatState | null {
  for (const s of STATES) if (m.getChild(s, NS.chatStates)) return s;
  return null;
}

export function chatStateMessage(to: string, state: ChatState, type: 'chat' | 'groupchat'): Element {
  return xml('message', { to, type }, xml(state, { xmlns: NS.chatStates }), xml('no-store', { xmlns: NS.hints }));
}

/** The id a `displayed` marker refers to, or null. */
export function parseDisplayed(m: Element): string | null {
  return (m.getChild('displayed', NS.markers)?.attrs.id as string | undefined) ?? null;
}

export function displayedMessage(to: string, id: string, type: 'chat' | 'groupchat'): Element {
  return xml('message', { to, type }, xml('displayed', { xmlns: NS.markers, id }), xml('store', { xmlns: NS.hints }));
}
