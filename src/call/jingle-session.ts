// XEP-0166 Jingle session stanzas for RTP calls: session-initiate / session-accept /
// transport-info (XEP-0176 trickle, ICE restart) / session-terminate / session-info. Pure build and
// parse; the engine keeps the state machine.
import { xml, type Element } from '../core/xmpp.js';
import { parseReason, reasonElement, type Reason } from '../core/protocol/jmi.js';
import { JNS, contentElement, jingleChildren, parseJingle, parseTransport, type Candidate, type Content, type SessionModel } from './sdp-jingle.js';

export type JingleAction =
  | 'session-initiate' | 'session-accept' | 'session-terminate' | 'session-info' | 'transport-info'
  | 'content-add' | 'content-modify' | 'content-accept' | 'content-reject' | 'content-remove'
  | 'description-info' | 'transport-replace' | 'transport-accept' | 'transport-reject' | 'security-info';

export interface JingleRequest {
  action: JingleAction;
  sid: string;
  from: string;
  id: string;
  initiator?: string;
  responder?: string;
  model: SessionModel;
  reason?: Reason;
  /** session-info payloads (ringing, mute, …) by element name. */
  info: string[];
}

const ERRORS_NS = 'urn:xmpp:jingle:errors:1';
const STANZAS_NS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const RTP_INFO_NS = 'urn:xmpp:jingle:apps:rtp:info:1';

let seq = 0;
const iqId = () => `jg-${Date.now().toString(36)}-${(seq++).toString(36)}`;

function jingleIq(to: string, action: JingleAction, sid: string, attrs: Record<string, string>, children: Element[]): Element {
  return xml('iq', { to, type: 'set', id: iqId() }, xml('jingle', { xmlns: JNS.jingle, action, sid, ...attrs }, ...children));
}

export function sessionInitiate(to: string, sid: string, initiator: string, model: SessionModel): Element {
  return jingleIq(to, 'session-initiate', sid, { initiator }, jingleChildren(model));
}

export function sessionAccept(to: string, sid: string, responder: string, model: SessionModel): Element {
  return jingleIq(to, 'session-accept', sid, { responder }, jingleChildren(model));
}

export function sessionTerminate(to: string, sid: string, reason: Reason): Element {
  return jingleIq(to, 'session-terminate', sid, {}, [reasonElement(reason)]);
}

/** XEP-0167 informational messages (`ringing`, `mute`, `unmute`, `active`). */
export function sessionInfo(to: string, sid: string, info: 'ringing' | 'active' | 'mute' | 'unmute', name?: string): Element {
  return jingleIq(to, 'session-info', sid, {}, [xml(info, { xmlns: RTP_INFO_NS, ...(name ? { creator: 'initiator', name } : {}) })]);
}

/**
 * Trickled candidates (XEP-0176 §5), or — with fresh ufrag/pwd — an ICE restart. The content keeps
 * its creator and name; only the transport travels.
 */
export function transportInfo(to: string, sid: string, contents: Pick<Content, 'name' | 'creator' | 'transport'>[]): Element {
  return jingleIq(to, 'transport-info', sid, {},
    contents.map((c) => contentElement({ ...(c as Content), senders: 'both' }, { transportOnly: true })));
}

export function candidateContents(content: Pick<Content, 'name' | 'creator'>, ufrag: string | undefined, pwd: string | undefined, candidates: Candidate[]) {
  return [{ name: content.name, creator: content.creator, transport: { ufrag, pwd, candidates } }];
}

/** Reads a Jingle IQ set; null for anything else. */
export function parseJingleIq(iq: Element): JingleRequest | null {
  if (!iq.is('iq') || iq.attrs.type !== 'set') return null;
  const j = iq.getChild('jingle', JNS.jingle);
  if (!j || !j.attrs.sid || !j.attrs.action) return null;
  const model = parseJingle(j);
  // transport-info contents carry no description; read their transports by content name.
  if (j.attrs.action === 'transport-info') {
    for (const c of j.getChildren('content')) {
      const t = c.getChild('transport', JNS.iceUdp);
      if (!t || !c.attrs.name) continue;
      model.contents.push({
        name: c.attrs.name as string, creator: (c.attrs.creator as 'initiator' | 'responder' | undefined) ?? 'initiator',
        senders: 'both', media: 'audio', payloads: [], feedback: [], headerExtensions: [], extmapAllowMixed: false,
        rtcpMux: false, sources: [], sourceGroups: [],
        transport: parseTransport(t),
      });
    }
  }
  return {
    action: j.attrs.action as JingleAction, sid: j.attrs.sid as string, from: iq.attrs.from as string, id: iq.attrs.id as string,
    initiator: j.attrs.initiator as string | undefined, responder: j.attrs.responder as string | undefined,
    model, reason: parseReason(j.getChild('reason')),
    info: j.getChildElements().filter((c) => c.attrs.xmlns === RTP_INFO_NS).map((c) => c.name),
  };
}

/** An IQ error payload for the library's IQ router: `<unknown-session/>` and friends (XEP-0166 §10). */
export function jingleError(condition: 'item-not-found' | 'bad-request' | 'feature-not-implemented', jingleCondition?: 'unknown-session' | 'out-of-order' | 'tie-break'): Element {
  return xml('error', { type: 'cancel' }, xml(condition, { xmlns: STANZAS_NS }), ...(jingleCondition ? [xml(jingleCondition, { xmlns: ERRORS_NS })] : []));
}
