// A call in a group room, as a mesh of pairwise Jingle sessions (up to 4 participants). Who is in
// the call is told by room presence carrying a Muji element (XEP-0272); the call is announced in the
// room with a Call Invite (XEP-0482). The newcomer initiates a session to everyone already in the
// call; those accept sessions from occupants who joined after them.
import { xml, type Element } from '../core/xmpp.js';

export const MUC_NS = 'http://jabber.org/protocol/muc';
const MUC_USER_NS = 'http://jabber.org/protocol/muc#user';
export const MUJI_NS = 'urn:xmpp:jingle:muji:0';
export const CALL_INVITES_NS = 'urn:xmpp:call-invites:0';

/** Mesh limit: beyond this a conference server is needed. */
export const MAX_PARTICIPANTS = 4;

export interface RoomCallHost {
  readonly conn: { send(el: Element): Promise<void>; jid: string };
  occupantLeft(occupant: string): void;
  peersChanged(): void;
}

export interface JoinResult { full: boolean; count: number; inCall: string[] }

interface Occupant { inCall: boolean }

export function joinPresence(occupant: string, inCall: boolean): Element {
  return xml('presence', { to: occupant },
    xml('x', { xmlns: MUC_NS }, xml('history', { maxstanzas: '0' })),
    ...(inCall ? [xml('muji', { xmlns: MUJI_NS })] : []));
}

export function callInvite(room: string, video: boolean): Element {
  return xml('message', { to: room, type: 'groupchat', id: `ci-${Date.now().toString(36)}` },
    xml('invite', { xmlns: CALL_INVITES_NS, video: String(video), audio: 'true' }, xml('muji', { xmlns: MUJI_NS, room })),
    xml('store', { xmlns: 'urn:xmpp:hints' }));
}

export class RoomCall {
  private readonly occupants = new Map<string, Occupant>();
  private joined = false;
  private waiter?: (ok: boolean) => void;
  /** Occupants that were in the call before we joined it: we call them, they never call us. */
  private before = new Set<string>();
  readonly self: string;

  constructor(private readonly host: RoomCallHost, readonly room: string, nick: string, private readonly video: boolean) {
    this.self = `${room}/${nick}-${crypto.randomUUID().slice(0, 4)}`;
  }

  owns(jid: string) {
    return jid.split('/')[0]!.toLowerCase() === this.room && jid !== this.self;
  }

  nameOf(occupant: string) {
    return occupant.slice(this.room.length + 1).replace(/-[0-9a-f]{4}$/, '');
  }

  /** Whether to accept a session from this occupant: only newcomers call us. */
  accepting(occupant: string) {
    return this.joined && !this.before.has(occupant) && (this.occupants.get(occupant)?.inCall ?? true);
  }

  /** Enters the room; when the call has room, announces ourselves in it. */
  async join(): Promise<JoinResult> {
    const entered = new Promise<boolean>((r) => (this.waiter = r));
    await this.host.conn.send(joinPresence(this.self, false));
    const ok = await Promise.race([entered, new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!ok) throw new Error(`could not enter ${this.room}`);
    const inCall = [...this.occupants].filter(([, o]) => o.inCall).map(([j]) => j);
    if (inCall.length >= MAX_PARTICIPANTS) return { full: true, count: inCall.length, inCall };
    this.before = new Set(inCall);
    this.joined = true;
    await this.host.conn.send(joinPresence(this.self, true));
    if (inCall.length === 0) await this.host.conn.send(callInvite(this.room, this.video));
    return { full: false, count: inCall.length, inCall };
  }

  async leave() {
    this.joined = false;
    await this.host.conn.send(xml('presence', { to: this.self, type: 'unavailable' })).catch(() => {});
  }

  /** Room presence; true when consumed. */
  onStanza(s: Element): boolean {
    if (!s.is('presence')) return false;
    const from = String(s.attrs.from ?? '');
    if (from.split('/')[0]!.toLowerCase() !== this.room) return false;
    if (s.attrs.type === 'error') {
      this.waiter?.(false);
      return true;
    }
    const x = s.getChild('x', MUC_USER_NS);
    if (!x) return false;
    const isSelf = from === this.self || x.getChildren('status').some((st) => st.attrs.code === '110');
    if (isSelf) {
      if (s.attrs.type !== 'unavailable') this.waiter?.(true);
      this.waiter = undefined;
      return true;
    }
    if (s.attrs.type === 'unavailable') {
      this.occupants.delete(from);
      this.host.occupantLeft(from);
      return true;
    }
    const inCall = !!s.getChild('muji', MUJI_NS);
    const was = this.occupants.get(from)?.inCall;
    this.occupants.set(from, { inCall });
    if (was && !inCall) this.host.occupantLeft(from);
    this.host.peersChanged();
    return true;
  }
}
