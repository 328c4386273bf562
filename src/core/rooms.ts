// Group rooms (XEP-0045) with bookmarks (XEP-0402) so joined rooms come back after a reload.
import { atom, map } from 'nanostores';
import type { Connection } from './connection.js';
import { fetchBookmarks, parseBookmarks, publishBookmark, retractBookmark } from './protocol/bookmarks.js';
import {
  configureRoom, joinError, joinPresence, leavePresence, mediatedInvite, parseInvite, parseOccupantPresence,
  parseSubject, roomNameFromInfo, setAffiliation, subjectMessage, type Occupant,
} from './protocol/muc.js';
import { xml, type Element } from './xmpp.js';

export interface RoomState {
  jid: string;
  name: string;
  nick: string;
  joined: boolean;
  subject?: string;
  occupants: Readonly<Record<string, Occupant>>;
  error?: string;
}

export interface Invite {
  room: string;
  from: string;
  reason?: string;
}

export interface RoomEvent {
  room: string;
  text: string;
}

const MAX_NICK_RETRIES = 3;

export class Rooms {
  readonly $rooms = map<Record<string, RoomState>>({});
  readonly $invites = atom<readonly Invite[]>([]);
  private readonly waiters = new Map<string, { resolve: () => void; reject: (e: Error) => void; tries: number }>();
  private conferenceDomain?: string;
  /** The rooms we belong to are known (bookmarks read, joins tried) since the last fresh session. */
  settled = false;

  constructor(
    private readonly conn: Connection,
    private readonly defaultNick: () => string,
    /** Join/leave/subject changes, shown as lines in the room. */
    private readonly onEvent: (e: RoomEvent) => void,
    onChange: () => void,
  ) {
    conn.onStanza((s) => this.onStanza(s));
    conn.onOnline(async (resumed) => {
      // A resumed stream is still in its rooms (after a reload, as the page before it left them).
      if (resumed) return void (this.settled = true);
      // A fresh stream left every room: rejoin those we were in, then those bookmarked.
      const rejoin = Object.values(this.$rooms.get()).filter((r) => r.joined || !r.error);
      for (const r of rejoin) this.$rooms.setKey(r.jid, { ...r, joined: false, occupants: {} });
      await Promise.all(rejoin.map((r) => this.join(r.jid, r.nick).catch(() => {})));
      await this.joinBookmarked();
      this.settled = true;
    });
    this.$rooms.listen(onChange);
  }

  nickIn(room: string): string | undefined {
    return this.$rooms.get()[room]?.nick;
  }

  /** Joins (or creates) a room; resolves once we are in, retrying with another nick on conflicts. */
  join(room: string, nick = this.defaultNick(), name?: string): Promise<void> {
    room = room.toLowerCase();
    const existing = this.$rooms.get()[room];
    if (existing?.joined) return Promise.resolve();
    this.$rooms.setKey(room, { jid: room, name: name ?? existing?.name ?? room.split('@')[0]!, nick, joined: false, occupants: {}, subject: existing?.subject });
    return new Promise<void>((resolve, reject) => {
      this.waiters.set(room, { resolve, reject, tries: 0 });
      void this.conn.send(joinPresence(room, nick)).catch(reject);
    });
  }

  async leave(room: string) {
    const r = this.$rooms.get()[room];
    if (!r) return;
    const { [room]: _gone, ...rest } = this.$rooms.get();
    this.$rooms.set(rest);
    await this.conn.send(leavePresence(room, r.nick)).catch(() => {});
    await this.conn.request(retractBookmark(room)).catch(() => {});
  }

  /** Creates a room with a unique address, configures it, and invites people. */
  async create(name: string, opts: { membersOnly: boolean; invite?: string[] }): Promise<string> {
    const domain = await this.findConferenceDomain();
    const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'room';
    const room = `${slug}-${crypto.randomUUID().slice(0, 6)}@${domain}`;
    await this.join(room, undefined, name);
    await this.conn.request(configureRoom(room, { name, membersOnly: opts.membersOnly }));
    await this.bookmark(room);
    for (const jid of opts.invite ?? []) await this.invite(room, jid);
    return room;
  }

  async invite(room: string, jid: string, reason?: string) {
    const me = this.$rooms.get()[room]?.occupants[this.nickIn(room) ?? ''];
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

  private async fetchName(room: string) {
    const name = roomNameFromInfo(await this.conn.request(xml('iq', { type: 'get', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }))));
    const r = this.$rooms.get()[room];
    if (name && r) this.$rooms.setKey(room, { ...r, name });
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

  private onStanza(s: Element): boolean {
    if (s.is('presence')) return this.onPresence(s);
    if (!s.is('message')) return false;
    const subject = parseSubject(s);
    if (subject && this.$rooms.get()[subject.room]) {
      const r = this.$rooms.get()[subject.room]!;
      const first = r.subject === undefined;
      this.$rooms.setKey(subject.room, { ...r, subject: subject.subject });
      // The subject sent right after joining is the current one, not a change.
      if (!first) this.onEvent({ room: subject.room, text: `${subject.by || 'The room'} changed the subject to “${subject.subject}”` });
      return true;
    }
    const invite = parseInvite(s);
    if (invite) {
      if (!this.$rooms.get()[invite.room]?.joined && !this.$invites.get().some((i) => i.room === invite.room)) {
        this.$invites.set([...this.$invites.get(), invite]);
      }
      return true;
    }
    return false;
  }

  private onPresence(p: Element): boolean {
    const from = String(p.attrs.from ?? '');
    const room = from.split('/')[0]!.toLowerCase();
    const r = this.$rooms.get()[room];
    if (!r) return false;
    const err = joinError(p);
    if (err) {
      const w = this.waiters.get(room);
      if (err === 'conflict' && w && w.tries < MAX_NICK_RETRIES) {
        w.tries++;
        const nick = `${r.nick}${w.tries === 1 ? '_' : w.tries}`;
        this.$rooms.setKey(room, { ...r, nick });
        void this.conn.send(joinPresence(room, nick));
        return true;
      }
      this.$rooms.setKey(room, { ...r, error: err });
      w?.reject(new Error(`could not join ${room}: ${err}`));
      this.waiters.delete(room);
      return true;
    }
    const o = parseOccupantPresence(p);
    if (!o) return false;
    const occupants = { ...r.occupants };
    if (o.unavailable) delete occupants[o.nick];
    else occupants[o.nick] = o.occupant;
    if (o.newNick && !o.self) occupants[o.newNick] = { ...o.occupant, nick: o.newNick };
    const self = o.self || o.nick === r.nick;
    if (self && o.unavailable && !o.newNick) {
      this.$rooms.setKey(room, { ...r, joined: false, occupants: {}, error: o.kicked ? 'kicked' : undefined });
      return true;
    }
    const joinedNow = self && !o.unavailable && !r.joined;
    this.$rooms.setKey(room, { ...r, occupants, joined: r.joined || joinedNow, nick: self && o.newNick ? o.newNick : r.nick });
    if (joinedNow) {
      this.waiters.get(room)?.resolve();
      this.waiters.delete(room);
    } else if (r.joined && !self) {
      if (o.unavailable && !o.newNick) this.onEvent({ room, text: `${o.nick} left` });
      else if (!r.occupants[o.nick] && !o.unavailable) this.onEvent({ room, text: `${o.nick} joined` });
    }
    return true;
  }
}
