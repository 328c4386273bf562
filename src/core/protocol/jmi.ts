// XEP-0353 Jingle Message Initiation: propose / ringing / proceed / reject / retract / finish
// (and the older `accept`), so every device of the callee rings before a full JID is chosen. Pure
// build/parse functions; the call engine decides what to send when.
import { xml, type Element } from '../xmpp.js';

export const JMI_NS = 'urn:xmpp:jingle-message:0';
const JINGLE_NS = 'urn:xmpp:jingle:1';
const RTP_NS = 'urn:xmpp:jingle:apps:rtp:1';
const HINTS_NS = 'urn:xmpp:hints';
const CARBONS_NS = 'urn:xmpp:carbons:2';
const FORWARD_NS = 'urn:xmpp:forward:0';

export type JmiAction = 'propose' | 'ringing' | 'proceed' | 'reject' | 'retract' | 'finish' | 'accept';
const ACTIONS: readonly JmiAction[] = ['propose', 'ringing', 'proceed', 'reject', 'retract', 'finish', 'accept'];

/** XEP-0166 reason conditions we send or understand. */
export type Reason =
  | 'success' | 'busy' | 'decline' | 'cancel' | 'timeout' | 'gone' | 'general-error' | 'connectivity-error'
  | 'failed-application' | 'failed-transport' | 'media-error' | 'security-error' | 'expired' | 'unsupported-applications'
  | 'incompatible-parameters' | 'alternative-session' | 'unsupported-transports';

export interface JmiMessage {
  action: JmiAction;
  /** The call id; it is also the Jingle session id. */
  id: string;
  from: string;
  to: string;
  /** Media proposed (propose only). */
  media: ('audio' | 'video')[];
  reason?: Reason;
  /** Set when the message reached us as a carbon copy: `sent` by another of our devices, or `received` by one. */
  carbon?: 'sent' | 'received';
}

export const bareOf = (jid: string) => jid.split('/')[0]!.toLowerCase();

export function reasonElement(reason: Reason, text?: string): Element {
  return xml('reason', { xmlns: JINGLE_NS }, xml(reason), ...(text ? [xml('text', {}, text)] : []));
}

export function parseReason(el: Element | undefined): Reason | undefined {
  const cond = el?.getChildElements().find((c) => c.name !== 'text');
  return cond?.name as Reason | undefined;
}

/**
 * A JMI message. Chat type and a store hint (XEP-0334), so it reaches every device, is copied by
 * carbons to our other devices, and lands in the archive as a record of the call.
 */
export function buildJmi(action: JmiAction, to: string, id: string, opts: { media?: ('audio' | 'video')[]; reason?: Reason } = {}): Element {
  const children: Element[] = [];
  if (action === 'propose') for (const m of opts.media ?? ['audio']) children.push(xml('description', { xmlns: RTP_NS, media: m }));
  if (opts.reason) children.push(reasonElement(opts.reason));
  const stored = action !== 'ringing';
  return xml('message', { to, type: 'chat', id: `jm-${action}-${id}` },
    xml(action, { xmlns: JMI_NS, id }, ...children),
    ...(stored ? [xml('store', { xmlns: HINTS_NS })] : []));
}

/** Reads a JMI message, unwrapping carbons only when they come from our own account. */
export function parseJmi(stanza: Element, ownBare: string, ownFull: string): JmiMessage | null {
  if (!stanza.is('message') || stanza.attrs.type === 'error') return null;
  let msg = stanza;
  let carbon: JmiMessage['carbon'];
  for (const kind of ['sent', 'received'] as const) {
    const c = stanza.getChild(kind, CARBONS_NS);
    if (!c) continue;
    if (bareOf(stanza.attrs.from ?? ownBare) !== ownBare) return null;
    const inner = c.getChild('forwarded', FORWARD_NS)?.getChild('message');
    if (!inner) return null;
    msg = inner;
    carbon = kind;
  }
  const el = msg.getChildElements().find((c) => c.attrs.xmlns === JMI_NS && ACTIONS.includes(c.name as JmiAction));
  const id = el?.attrs.id as string | undefined;
  if (!el || !id) return null;
  const media = el.getChildren('description', RTP_NS).map((d) => d.attrs.media).filter((m): m is 'audio' | 'video' => m === 'audio' || m === 'video');
  return {
    action: el.name as JmiAction, id,
    from: (msg.attrs.from as string | undefined) ?? ownFull,
    to: (msg.attrs.to as string | undefined) ?? ownBare,
    media, reason: parseReason(el.getChild('reason', JINGLE_NS)), carbon,
  };
}

/** Enables carbons (XEP-0280): JMI relies on them so our other devices see our proceed/reject. */
export const enableCarbons = () => xml('iq', { type: 'set', id: `carbons-${Date.now().toString(36)}` }, xml('enable', { xmlns: CARBONS_NS }));
