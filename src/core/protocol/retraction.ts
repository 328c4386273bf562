// XEP-0424 message retraction and XEP-0425 moderation, in their current form (retract:1,
// moderate:1) and the older fastening form (retract:0, moderate:0) that Prosody 0.12's
// mod_muc_moderation and older clients use. Pure.
import { NS, xml, type Element } from '../xmpp.js';

export const NS_RETRACT = 'urn:xmpp:message-retract:1';
const NS_RETRACT_0 = 'urn:xmpp:message-retract:0';
const NS_FASTEN = 'urn:xmpp:fasten:0';
export const NS_MODERATE = 'urn:xmpp:message-moderate:1';
export const NS_MODERATE_0 = 'urn:xmpp:message-moderate:0';

export interface Retraction {
  ref: string;
  /** Set when a moderator retracted it (only to be trusted from the room itself). */
  moderated?: { by?: string; reason?: string };
}

export function parseRetraction(m: Element): Retraction | null {
  const r = m.getChild('retract', NS_RETRACT);
  if (r?.attrs.id) {
    const mod = r.getChild('moderated', NS_MODERATE);
    return { ref: String(r.attrs.id), moderated: mod ? { by: mod.attrs.by, reason: r.getChildText('reason') ?? undefined } : undefined };
  }
  const fasten = m.getChild('apply-to', NS_FASTEN);
  if (!fasten?.attrs.id) return null;
  const mod = fasten.getChild('moderated', NS_MODERATE_0);
  if (mod?.getChild('retract', NS_RETRACT_0)) {
    return { ref: String(fasten.attrs.id), moderated: { by: mod.attrs.by, reason: mod.getChildText('reason') ?? undefined } };
  }
  return fasten.getChild('retract', NS_RETRACT_0) ? { ref: String(fasten.attrs.id) } : null;
}

/** Our retraction of our message `ref`, with a fallback text for clients without retraction. */
export function buildRetraction(to: string, type: 'chat' | 'groupchat', id: string, ref: string): Element {
  return xml('message', { to, type, id },
    xml('retract', { xmlns: NS_RETRACT, id: ref }),
    xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: NS_RETRACT }),
    xml('body', {}, '/me retracted a previous message, but it\'s unsupported by your client.'),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('store', { xmlns: NS.hints }));
}

/** A moderator's request to the room to retract message `stanzaId`, in the version the room speaks. */
export function buildModeration(room: string, stanzaId: string, version: 0 | 1, reason?: string): Element {
  const why = reason ? [xml('reason', {}, reason)] : [];
  if (version === 1) {
    return xml('iq', { type: 'set', to: room },
      xml('moderate', { xmlns: NS_MODERATE, id: stanzaId }, xml('retract', { xmlns: NS_RETRACT }), ...why));
  }
  return xml('iq', { type: 'set', to: room },
    xml('apply-to', { xmlns: NS_FASTEN, id: stanzaId },
      xml('moderate', { xmlns: NS_MODERATE_0 }, xml('retract', { xmlns: NS_RETRACT_0 }), ...why)));
}
