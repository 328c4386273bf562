// Messages that change an earlier message instead of adding one: corrections (XEP-0308),
// retractions (XEP-0424), moderation (XEP-0425) and reactions (XEP-0444). This module only
// recognises them (it is part of first paint); message-actions.ts parses and applies them.
import type { Element } from '../xmpp.js';

/** Child element name and namespace of each kind of action. */
const KINDS: readonly [string, string][] = [
  ['replace', 'urn:xmpp:message-correct:0'],
  ['retract', 'urn:xmpp:message-retract:1'],
  ['apply-to', 'urn:xmpp:fasten:0'],
  ['reactions', 'urn:xmpp:reactions:0'],
];

/** Whether a message is an action on another message. Errors (bounces of our own) never are. */
export function isAction(m: Element): boolean {
  return m.attrs.type !== 'error' && KINDS.some(([name, ns]) => m.getChild(name, ns) !== undefined);
}

interface ActionBase {
  /** Id of the message acted on; see findTargets in stores/apply-action.ts for how it matches. */
  ref: string;
  /** The sender, in the form messages keep it: bare JID in 1:1, room/nick in rooms. */
  from: string;
  /** XEP-0421 occupant id of the sender, when the room assigns them. */
  occupantId?: string;
  /** In rooms, references are the room's stanza-ids. */
  room: boolean;
  /** When it was sent (archive or delay time, else arrival). */
  t: number;
}

export type MessageAction =
  | (ActionBase & { kind: 'correct'; body: string })
  | (ActionBase & { kind: 'retract' })
  | (ActionBase & { kind: 'moderate'; by?: string; reason?: string })
  | (ActionBase & { kind: 'react'; reactor: string; emojis: readonly string[] });
