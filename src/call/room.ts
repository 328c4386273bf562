// A call in a group room, as a mesh of pairwise Jingle sessions (up to 4 participants). Who is in
// the call is told by room presence carrying a Muji element (XEP-0272); the call is announced in the
// room with a Call Invite (XEP-0482). The room membership is the session's shared one (the chat or a
// board in the same room are the same occupant). The newcomer initiates a session to everyone already in the
// call; those accept sessions from occupants who joined after them.
import type { Memberships, PresenceInfo, RoomHold } from '../core/memberships.js';
import { xml, type Element } from '../core/xmpp.js';

export const MUJI_NS = 'urn:xmpp:jingle:muji:0';
export const CALL_INVITES_NS = 'urn:xmpp:call-invites:0';

/** Mesh limit: beyond this a conference server is needed. */
export const MAX_PARTICIPANTS = 4;

export interface RoomCallHost {
  readonly conn: { send(el: Element): Promise<void> };
  /** The session's shared room memberships: the call is the same occupant as the chat and the board. */
  readonly memberships: Memberships;
  occupantLeft(occupant: string): void;
  peersChanged(): void;
}

export interface JoinResult { full: boolean; count: number; inCall: string[] }

interface Occupant { inCall: boolean }

export function callInvite(room: string, video: boolean): Element {
  return xml('message', { to: room, type: 'groupchat', id: `ci-${Date.now().toString(36)}` },
    xml('invite', { xmlns: CALL_INVITES_NS, video: String(video), audio: 'true' }, xml('muji', { xmlns: MUJI_NS, room })),
    xml('store', { xmlns: 'urn:xmpp:hints' }));
}

const JOIN_TIMEOUT = 15_000;

export class RoomCall {
  /** Other occupants, by occupant JID, and whether they are in the call. */
  private readonly occupants = new Map<string, Occupant>();
  private hold?: RoomHold;
  private joined = false;
  /** Occupants that were in the call before we joined it: we call them, they never call us. */
  private before = new Set<string>();

  constructor(private readonly host: RoomCallHost, readonly room: string, private readonly nick: string, private readonly video: boolean) {}

  /** Our occupant JID. */
  get self(): string {
    return `${this.room}/${this.hold?.nick ?? this.nick}`;
  }

  owns(jid: string) {
    return jid.split('/')[0]!.toLowerCase() === this.room && jid !== this.self;
  }

  nameOf(occupant: string) {
    return occupant.slice(this.room.length + 1);
  }

  /** Whether to accept a session from this occupant: only newcomers call us. */
  accepting(occupant: string) {
    return this.joined && !this.before.has(occupant) && (this.occupants.get(occupant)?.inCall ?? true);
  }

  /** Enters the room (or uses the session's membership of it); when the call has room, announces ourselves in it. */
  async join(): Promise<JoinResult> {
    const hold = this.host.memberships.hold(this.room, this.nick, { presence: (p, info) => this.onPresence(p, info) });
    this.hold = hold;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([hold.ready(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer from ${this.room}`)), JOIN_TIMEOUT); })]);
    } catch (e) {
      await this.leave();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    for (const [nick, p] of hold.occupants) {
      if (nick !== hold.nick) this.occupants.set(`${this.room}/${nick}`, { inCall: !!p.getChild('muji', MUJI_NS) });
    }
    const inCall = [...this.occupants].filter(([, o]) => o.inCall).map(([j]) => j);
    if (inCall.length >= MAX_PARTICIPANTS) return { full: true, count: inCall.length, inCall };
    this.before = new Set(inCall);
    this.joined = true;
    hold.setExtension(xml('muji', { xmlns: MUJI_NS }));
    if (inCall.length === 0) await this.host.conn.send(callInvite(this.room, this.video));
    return { full: false, count: inCall.length, inCall };
  }

  /** Leaves the call; the room itself only when nothing else on the page is in it. */
  async leave() {
    this.joined = false;
    const h = this.hold;
    this.hold = undefined;
    await h?.release();
  }

  private onPresence(p: Element, info: PresenceInfo) {
    if (info.self || info.error) return;
    const from = `${this.room}/${info.nick}`;
    if (info.unavailable) {
      this.occupants.delete(from);
      this.host.occupantLeft(from);
      return;
    }
    const inCall = !!p.getChild('muji', MUJI_NS);
    const was = this.occupants.get(from)?.inCall;
    this.occupants.set(from, { inCall });
    if (was && !inCall) this.host.occupantLeft(from);
    this.host.peersChanged();
  }
}
