// XEP-0045 multi-user chat: joining, occupants, subjects, invitations, room configuration. Pure.
import { NS, xml, type Element } from '../xmpp.js';

const MUC_USER = 'http://jabber.org/protocol/muc#user';
const MUC_OWNER = 'http://jabber.org/protocol/muc#owner';
const MUC_ADMIN = 'http://jabber.org/protocol/muc#admin';
const CONFERENCE = 'jabber:x:conference';

export type Role = 'moderator' | 'participant' | 'visitor' | 'none';
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast' | 'none';

export interface Occupant {
  nick: string;
  jid?: string;
  role: Role;
  affiliation: Affiliation;
  show: string;
}

export interface OccupantPresence {
  room: string;
  nick: string;
  occupant: Occupant;
  unavailable: boolean;
  self: boolean;
  created: boolean;
  /** New nick when this is a nick change (status 303). */
  newNick?: string;
  kicked: boolean;
}

/** Enters a room without its history (we read the archive), with extra presence payloads. */
export function joinPresence(room: string, nick: string, extra: Element[] = []): Element {
  return xml('presence', { to: `${room}/${nick}` },
    xml('x', { xmlns: NS.muc }, xml('history', { maxstanzas: '0' })), ...extra);
}

/** Our presence in a room we are in (a changed payload), not a join. */
export const occupantPresence = (room: string, nick: string, extra: Element[] = []) => xml('presence', { to: `${room}/${nick}` }, ...extra);

export const leavePresence = (room: string, nick: string) => xml('presence', { to: `${room}/${nick}`, type: 'unavailable' });

export function splitJid(full: string): { bare: string; resource: string } {
  const i = full.indexOf('/');
  return i < 0 ? { bare: full.toLowerCase(), resource: '' } : { bare: full.slice(0, i).toLowerCase(), resource: full.slice(i + 1) };
}

export function parseOccupantPresence(p: Element): OccupantPresence | null {
  if (!p.is('presence') || !p.attrs.from) return null;
  const x = p.getChild('x', MUC_USER);
  if (!x || (p.attrs.type && p.attrs.type !== 'unavailable')) return null;
  const { bare, resource } = splitJid(String(p.attrs.from));
  if (!resource) return null;
  const item = x.getChild('item');
  const codes = new Set(x.getChildren('status').map((s) => String(s.attrs.code)));
  return {
    room: bare, nick: resource,
    occupant: {
      nick: resource,
      jid: item?.attrs.jid ? splitJid(String(item.attrs.jid)).bare : undefined,
      role: (item?.attrs.role ?? 'none') as Role,
      affiliation: (item?.attrs.affiliation ?? 'none') as Affiliation,
      show: p.getChildText('show') ?? 'available',
    },
    unavailable: p.attrs.type === 'unavailable',
    self: codes.has('110'),
    created: codes.has('201'),
    newNick: codes.has('303') ? (item?.attrs.nick as string | undefined) : undefined,
    kicked: codes.has('307') || codes.has('301'),
  };
}

/** The error condition of a failed join (e.g. `conflict` for a taken nickname). */
export function joinError(p: Element): string | null {
  if (!p.is('presence') || p.attrs.type !== 'error') return null;
  const err = p.getChild('error');
  const cond = err?.children.find((c) => typeof c !== 'string' && (c as Element).attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas') as Element | undefined;
  return cond?.name ?? 'undefined-condition';
}

export function parseSubject(m: Element): { room: string; subject: string; by: string } | null {
  if (!m.is('message') || m.attrs.type !== 'groupchat' || m.getChild('body')) return null;
  const s = m.getChild('subject');
  if (!s) return null;
  const { bare, resource } = splitJid(String(m.attrs.from ?? ''));
  return { room: bare, subject: s.text(), by: resource };
}

export const subjectMessage = (room: string, subject: string) => xml('message', { to: room, type: 'groupchat' }, xml('subject', {}, subject));

/** Mediated (XEP-0045) and direct (XEP-0249) invitations. */
export function parseInvite(m: Element): { room: string; from: string; reason?: string; password?: string } | null {
  if (!m.is('message') || m.attrs.type === 'error') return null;
  const direct = m.getChild('x', CONFERENCE);
  if (direct?.attrs.jid) {
    return { room: String(direct.attrs.jid).toLowerCase(), from: splitJid(String(m.attrs.from ?? '')).bare, reason: direct.attrs.reason, password: direct.attrs.password };
  }
  const inv = m.getChild('x', MUC_USER)?.getChild('invite');
  if (inv && m.attrs.from) {
    return { room: splitJid(String(m.attrs.from)).bare, from: splitJid(String(inv.attrs.from ?? '')).bare, reason: inv.getChildText('reason') ?? undefined };
  }
  return null;
}

export function mediatedInvite(room: string, to: string, reason?: string): Element {
  return xml('message', { to: room }, xml('x', { xmlns: MUC_USER }, xml('invite', { to }, ...(reason ? [xml('reason', {}, reason)] : []))));
}

export function directInvite(to: string, room: string, reason?: string): Element {
  return xml('message', { to }, xml('x', { xmlns: CONFERENCE, jid: room, ...(reason ? { reason } : {}) }));
}

export function setAffiliation(room: string, jid: string, affiliation: Affiliation): Element {
  return xml('iq', { type: 'set', to: room }, xml('query', { xmlns: MUC_ADMIN }, xml('item', { jid, affiliation })));
}

export interface RoomOptions {
  name: string;
  membersOnly: boolean;
  persistent?: boolean;
}

export function configureRoom(room: string, o: RoomOptions): Element {
  const f = (v: string, value: string) => xml('field', { var: v }, xml('value', {}, value));
  return xml('iq', { type: 'set', to: room }, xml('query', { xmlns: MUC_OWNER },
    xml('x', { xmlns: NS.dataForms, type: 'submit' },
      f('FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'),
      f('muc#roomconfig_roomname', o.name),
      f('muc#roomconfig_membersonly', o.membersOnly ? '1' : '0'),
      f('muc#roomconfig_publicroom', o.membersOnly ? '0' : '1'),
      f('muc#roomconfig_persistentroom', o.persistent === false ? '0' : '1'),
      f('muc#roomconfig_allowinvites', '1'),
      f('muc#roomconfig_whois', o.membersOnly ? 'anyone' : 'moderators'))));
}

/** Whether a disco#info result describes a members-only room. */
export const isMembersOnly = (iq: Element) =>
  !!iq.getChild('query', 'http://jabber.org/protocol/disco#info')?.getChildren('feature').some((f) => f.attrs.var === 'muc_membersonly');

/** The room's name from a disco#info result. */
export function roomNameFromInfo(iq: Element): string | undefined {
  const q = iq.getChild('query', 'http://jabber.org/protocol/disco#info');
  const identity = q?.getChildren('identity').find((i) => i.attrs.category === 'conference');
  return identity?.attrs.name || undefined;
}
