// Group rooms (XEP-0045) with bookmarks (XEP-0402) so joined rooms come back after a reload.
import { atom, map } from 'nanostores';
import type { Connection } from './connection.js';
import { fetchBookmarks, parseBookmarks, publishBookmark, retractBookmark } from './protocol/bookmarks.js';
import type { Memberships, PresenceInfo, RoomHold, RoomListener } from './memberships.js';
import {
  configureRoom, directInvite, isMembersOnly, mediatedInvite, parseInvite, parseOccupantPresence, parseSubject, roomNameFromInfo, setAffiliation,
  subjectMessage, type Occupant,
} from './protocol/muc.js';
import { xml, type Element } from './xmpp.js';
import { tpl, type Template } from './template.js';

export interface RoomState {
  jid: string;
  name: string;
  nick: string;
  joined: boolean;
  subject?: string;
  occupants: Readonly<Record<string, Occupant>>;
  error?: string;
  /** Known from the room's disco#info (or because we created it). */
  membersOnly?: boolean;
}

export interface Invite {
  room: string;
  from: string;
  reason?: string;
}

export interface RoomEvent {
  room: string;
  text: string;
  template: Template;
}

export class Rooms {
  readonly $rooms = map<Record<string, RoomState>>({});
  readonly $invites = atom<readonly Invite[]>([]);
  /** The chat's hold on each room it shows; calls and boards in the same room share the membership. */
  private readonly holds = new Map<string, RoomHold>();
  private conferenceDomain?: string;
  /** The rooms we belong to are known (bookmarks read, joins tried) since the last fresh session. */
  settled = false;

  constructor(
    private readonly conn: Connection,
    private readonly memberships: Memberships,
    private readonly defaultNick: () => string,
    /** Join/leave/subject changes, shown as lines in the room. */
    private readonly onEvent: (e: RoomEvent) => void,
    onChange: () => void,
  ) {
    conn.onStanza((s) => this.onStanza(s));
    conn.onOnline(async (resumed) => {
      // Rooms listed but not held: the page before a reload was in them, and its stream, resumed
      // here, still is. This page has heard nothing from them yet: joining again makes each room
      // send its occupants (and tells the outbox when it may send there).
      for (const r of Object.values(this.$rooms.get())) {
        if (!this.holds.has(r.jid) && !r.error) this.join(r.jid, r.nick, r.name).catch(() => {});
      }
      if (!resumed) {
        // Rooms we hold are rejoined by the memberships; bookmarked ones come back here.
        await Promise.all([...this.holds.values()].map((h) => h.ready().catch(() => {})));
        await this.joinBookmarked();
      }
      this.settled = true;
    });
    this.$rooms.listen(onChange);
  }

  nickIn(room: string): string | undefined {
    return this.holds.get(room)?.nick ?? this.$rooms.get()[room]?.nick;
  }

  /** Joins (or creates) a room; resolves once we are in, retrying with another nick on conflicts. */
  join(room: string, nick = this.defaultNick(), name?: string): Promise<void> {
    room = room.toLowerCase();
    const existing = this.$rooms.get()[room];
    let hold = this.holds.get(room);
    if (existing?.joined && hold) return Promise.resolve();
    if (hold) hold.rejoin();
    else {
      hold = this.memberships.hold(room, nick, this.listener(room));
      this.holds.set(room, hold);
    }
    this.$rooms.setKey(room, {
      jid: room, name: name ?? existing?.name ?? room.split('@')[0]!, nick: hold.nick, joined: false, occupants: {}, subject: existing?.subject,
      membersOnly: existing?.membersOnly,
    });
    // Already in the room for a call or a board: the occupants are known.
    if (hold.joined) this.fromHold(room, hold);
    return hold.ready();
  }

  async leave(room: string) {
    const r = this.$rooms.get()[room];
    if (!r) return;
    const { [room]: _gone, ...rest } = this.$rooms.get();
    this.$rooms.set(rest);
    const hold = this.holds.get(room);
    this.holds.delete(room);
    // A call or a board in this room keeps the membership; only the chat's interest ends.
    await hold?.release();
    await this.conn.request(retractBookmark(room)).catch(() => {});
  }

  /** Creates a room with a unique address, configures it, and invites people. */
  async create(name: string, opts: { membersOnly: boolean; invite?: string[] }): Promise<string> {
    const domain = await this.findConferenceDomain();
    const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'room';
    const room = `${slug}-${crypto.randomUUID().slice(0, 6)}@${domain}`;
    await this.join(room, undefined, name);
    await this.conn.request(configureRoom(room, { name, membersOnly: opts.membersOnly }));
    const r = this.$rooms.get()[room];
    if (r) this.$rooms.setKey(room, { ...r, membersOnly: opts.membersOnly });
    await this.bookmark(room);
    for (const jid of opts.invite ?? []) await this.invite(room, jid);
    return room;
  }

  /**
   * An open room anyone may enter: a direct invitation (XEP-0249) goes straight to the person. A
   * members-only room (or one we know nothing of) invites through the room (XEP-0045), which may
   * also let them in; only one kind is sent, so no one gets the invitation twice.
   */
  async invite(room: string, jid: string, reason?: string) {
    const r = this.$rooms.get()[room];
    if (r?.membersOnly === false) return this.conn.send(directInvite(jid, room, reason));
    const me = r?.occupants[this.nickIn(room) ?? ''];
    // In members-only rooms an invitation alone does not open the door: owners and admins add a member.
    if (me && (me.affiliation === 'owner' || me.affiliation === 'admin')) {
      await this.conn.request(setAffiliation(room, jid, 'member')).catch(() => {});
    }
    await this.conn.send(mediatedInvite(room, jid, reason));
  }

  async acceptInvite(room: string) {
    this.$invites.set(this.$invites.get().filter((i) => i.room !== room));
    await this.join(room);
    await this.fetchName(room).catch(() => {});
    await this.bookmark(room);
  }

  declineInvite(room: string) {
    this.$invites.set(this.$invites.get().filter((i) => i.room !== room));
  }

  async setSubject(room: string, subject: string) {
    await this.conn.send(subjectMessage(room, subject));
  }

  async bookmark(room: string) {
    const r = this.$rooms.get()[room];
    await this.conn.request(publishBookmark({ room, name: r?.name, nick: r?.nick, autojoin: true })).catch(() => {});
  }

  private async joinBookmarked() {
    let marks;
    try {
      marks = parseBookmarks(await this.conn.request(fetchBookmarks()));
    } catch {
      return; // No bookmarks yet (item-not-found) or no PEP.
    }
    await Promise.all(marks.filter((b) => b.autojoin && !this.$rooms.get()[b.room]?.joined)
      .map((b) => this.join(b.room, b.nick, b.name).then(() => this.fetchName(b.room)).catch(() => {})));
  }

  /** The room's name and whether it is members-only. */
  private async fetchName(room: string) {
    const info = await this.conn.request(xml('iq', { type: 'get', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const name = roomNameFromInfo(info);
    const r = this.$rooms.get()[room];
    if (r) this.$rooms.setKey(room, { ...r, name: name ?? r.name, membersOnly: isMembersOnly(info) });
  }

  private async findConferenceDomain(): Promise<string> {
    if (this.conferenceDomain) return this.conferenceDomain;
    const domain = this.conn.bare.split('@')[1]!;
    const items = await this.conn.request(xml('iq', { type: 'get', to: domain }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#items' })));
    for (const it of items.getChild('query')?.getChildren('item') ?? []) {
      const info = await this.conn.request(xml('iq', { type: 'get', to: it.attrs.jid }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }))).catch(() => null);
      const q = info?.getChild('query');
      if (q?.getChildren('identity').some((i) => i.attrs.category === 'conference' && i.attrs.type === 'text')) {
        return (this.conferenceDomain = String(it.attrs.jid));
      }
    }
    throw new Error(`${domain} offers no group chat service`);
  }

  private listener(room: string): RoomListener {
    return {
      presence: (p, info) => this.onPresence(room, p, info),
      message: (m) => this.onSubject(m),
      state: (state, detail) => {
        const r = this.$rooms.get()[room];
        const hold = this.holds.get(room);
        if (!r || !hold) return;
        if (state === 'joined') this.fromHold(room, hold);
        else if (state === 'joining') this.$rooms.setKey(room, { ...r, joined: false, occupants: {}, error: undefined });
        else this.$rooms.setKey(room, { ...r, joined: false, occupants: {}, error: detail.kicked ? 'kicked' : state === 'error' ? detail.reason : undefined });
      },
    };
  }

  /** Our state in a room from the shared membership: joined, nick, every occupant. */
  private fromHold(room: string, hold: RoomHold) {
    const r = this.$rooms.get()[room];
    if (!r) return;
    const occupants: Record<string, Occupant> = {};
    for (const p of hold.occupants.values()) {
      const o = parseOccupantPresence(p);
      if (o && !o.unavailable) occupants[o.nick] = o.occupant;
    }
    this.$rooms.setKey(room, { ...r, nick: hold.nick, joined: true, occupants, error: undefined });
  }

  private onSubject(s: Element): boolean {
    const subject = parseSubject(s);
    const r = subject && this.$rooms.get()[subject.room];
    if (!subject || !r) return false;
    const first = r.subject === undefined;
    this.$rooms.setKey(subject.room, { ...r, subject: subject.subject });
    // The subject sent right after joining is the current one, not a change.
    if (!first) this.onEvent({ room: subject.room, ...(subject.by ? tpl('{who} changed the subject to “{subject}”', { who: subject.by, subject: subject.subject }) : tpl('The room changed the subject to “{subject}”', { subject: subject.subject })) });
    return true;
  }

  /** Invitations (rooms we are not in; messages from rooms we hold reach onSubject first). */
  private onStanza(s: Element): boolean {
    if (!s.is('message')) return false;
    if (this.onSubject(s)) return true;
    const invite = parseInvite(s);
    if (invite) {
      if (!this.$rooms.get()[invite.room]?.joined && !this.$invites.get().some((i) => i.room === invite.room)) {
        this.$invites.set([...this.$invites.get(), invite]);
      }
      return true;
    }
    return false;
  }

  private onPresence(room: string, p: Element, info: PresenceInfo) {
    const r = this.$rooms.get()[room];
    const hold = this.holds.get(room);
    if (!r || !hold || info.error) return;
    const o = parseOccupantPresence(p);
    if (!o) return;
    const occupants = { ...r.occupants };
    if (o.unavailable) delete occupants[o.nick];
    else occupants[o.nick] = o.occupant;
    if (o.newNick) occupants[o.newNick] = { ...o.occupant, nick: o.newNick };
    // Leaving and being thrown out arrive as membership states.
    if (info.self && o.unavailable && !o.newNick) return;
    this.$rooms.setKey(room, { ...r, occupants, nick: hold.nick });
    if (r.joined && !info.self) {
      if (o.unavailable && !o.newNick) this.onEvent({ room, ...tpl('{who} left', { who: o.nick }) });
      else if (!r.occupants[o.nick] && !o.unavailable) this.onEvent({ room, ...tpl('{who} joined', { who: o.nick }) });
    }
  }
}
