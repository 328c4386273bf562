// A call in a group room, as a mesh of pairwise Jingle sessions (up to 4 participants). Who is in
// the call is told by room presence carrying a Muji element (XEP-0272); the call is announced in the
// room with a Call Invite (XEP-0482). The room membership is the session's shared one (the chat or a
// board in the same room are the same occupant). Of each pair in the call, the occupant with the
// greater JID initiates the session and the other accepts it: a rule both sides apply alike, so two
// people joining at the same moment neither both call nor both wait.
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
  /** An occupant we are to call (see `initiates`) is in the call. */
  occupantInCall(occupant: string): void;
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
  /** Occupants we have called (or are calling) since they joined the call. */
  private readonly called = new Set<string>();

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

  /** Whether we start the session with this occupant (else we wait for theirs). */
  initiates(occupant: string) {
    return this.self > occupant;
  }

  /** Whether to accept a session from this occupant: one that it is theirs to start. */
  accepting(occupant: string) {
    return this.joined && !this.initiates(occupant) && (this.occupants.get(occupant)?.inCall ?? true);
  }

  /** True once per occupant in the call that is ours to call. */
  claim(occupant: string): boolean {
    if (!this.joined || !this.initiates(occupant) || this.called.has(occupant)) return false;
    this.called.add(occupant);
    return true;
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
      this.called.delete(from);
      this.host.occupantLeft(from);
      return;
    }
    const inCall = !!p.getChild('muji', MUJI_NS);
    const was = this.occupants.get(from)?.inCall;
    this.occupants.set(from, { inCall });
    if (was && !inCall) {
      this.called.delete(from);
      this.host.occupantLeft(from);
    }
    if (inCall && !was) this.host.occupantInCall(from);
    this.host.peersChanged();
  }
}
