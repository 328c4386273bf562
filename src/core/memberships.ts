// Group-room membership (XEP-0045) shared by everything on one session: the chat, a room call and a
// board in the same room are one occupant, not three. The first part that needs a room joins it,
// every part sees every presence of the room, and the room is left only when the last one lets go.
// One MUC occupant per room also matters to the server: a second join from the same full JID under
// another nick is a nick change, which would rename the chat under the user's feet.
import type { Connection } from './connection.js';
import { joinError, joinPresence, leavePresence, occupantPresence } from './protocol/muc.js';
import { NS, type Element } from './xmpp.js';

const MUC_USER = `${NS.muc}#user`;
const JOIN_TIMEOUT = 20_000;
const REJOIN_DELAY = 2000;
const MAX_NICK_RETRIES = 3;

export type MembershipState = 'idle' | 'joining' | 'joined' | 'error';

export interface PresenceInfo {
  nick: string;
  /** Our own occupant (status 110). */
  self: boolean;
  unavailable: boolean;
  /** The error condition of a presence error (e.g. a refused join). */
  error?: string;
}

/** What one part of the page wants to hear about a room. */
export interface RoomListener {
  /** Every presence from the room, after the shared state was updated. */
  presence?(p: Element, info: PresenceInfo): void;
  /** Room messages (not archive results); return true when consumed. */
  message?(m: Element, nick: string): boolean | void;
  /**
   * The membership changed state. `joined` with fresh=false: a resumed stream kept us in the room.
   * `idle`/`error` with a reason: we are out (kicked, room gone, join refused, …).
   */
  state?(state: MembershipState, detail: { fresh?: boolean; reason?: string; kicked?: boolean }): void;
}

class Membership {
  state: MembershipState = 'idle';
  nick: string;
  error?: string;
  /** The last presence of each occupant, by nick (our own included). */
  readonly occupants = new Map<string, Element>();
  readonly holds = new Set<RoomHold>();
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private tries = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private rejoinTimer?: ReturnType<typeof setTimeout>;
  /** The stream (Connection.streams) the last join went out on. */
  private joinedOn = -1;
  private readonly baseNick: string;

  constructor(private readonly conn: Connection, readonly room: string, nick: string) {
    this.nick = this.baseNick = nick;
  }

  get self(): Element | undefined {
    return this.occupants.get(this.nick);
  }

  /** The presence extensions every hold asks for (e.g. a room call's Muji element). */
  private extensions(): Element[] {
    return [...this.holds].flatMap((h) => h.extension ? [h.extension] : []);
  }

  ready(): Promise<void> {
    if (this.state === 'joined') return Promise.resolve();
    if (this.state === 'error') return Promise.reject(new Error(`could not join ${this.room}: ${this.error}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  join() {
    if (this.state === 'joining' || this.state === 'joined' || !this.conn.online) return;
    clearTimeout(this.rejoinTimer);
    this.state = 'joining';
    this.joinedOn = this.conn.streams;
    this.error = undefined;
    this.occupants.clear();
    this.notify('joining', {});
    this.sendJoin();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.state === 'joining') this.fail('no answer from the room');
    }, JOIN_TIMEOUT);
  }

  private sendJoin() {
    void this.conn.send(joinPresence(this.room, this.nick, this.extensions())).catch((e: Error) => this.fail(e.message));
  }

  /** Tells the room about changed presence extensions. */
  announce() {
    if (this.state !== 'joined' || !this.conn.online) return;
    void this.conn.send(occupantPresence(this.room, this.nick, this.extensions())).catch(() => {});
  }

  /** The stream came back: a resumed one kept us in; a new one left every room. */
  online(resumed: boolean) {
    if (resumed && this.state === 'joined') return this.notify('joined', { fresh: false });
    // Joined (or joining) on this very stream already: someone asked as soon as it came online,
    // before this hook ran. A second join would reset what the first one learnt.
    if (!resumed && (this.state === 'joined' || this.state === 'joining') && this.joinedOn === this.conn.streams) return;
    if (this.state === 'joined' || this.state === 'joining') this.state = 'idle';
    this.join();
  }

  async leave() {
    clearTimeout(this.timer);
    clearTimeout(this.rejoinTimer);
    const was = this.state;
    this.state = 'idle';
    this.occupants.clear();
    for (const w of this.waiters.splice(0)) w.reject(new Error(`left ${this.room}`));
    if ((was === 'joined' || was === 'joining') && this.conn.online) {
      await this.conn.send(leavePresence(this.room, this.nick)).catch(() => {});
    }
  }

  private fail(reason: string) {
    clearTimeout(this.timer);
    this.state = 'error';
    this.error = reason;
    for (const w of this.waiters.splice(0)) w.reject(new Error(`could not join ${this.room}: ${reason}`));
    this.notify('error', { reason });
  }

  private notify(state: MembershipState, detail: { fresh?: boolean; reason?: string; kicked?: boolean }) {
    for (const h of [...this.holds]) h.listener.state?.(state, detail);
  }

  onPresence(p: Element, nick: string) {
    const info: PresenceInfo = { nick, self: false, unavailable: p.attrs.type === 'unavailable' };
    const cond = joinError(p);
    if (cond) {
      info.error = cond;
      // Only an error to our join attempt concerns the membership; others (a refused presence update) pass by.
      if (this.state === 'joining' && nick === this.nick) {
        if (cond === 'conflict' && this.tries < MAX_NICK_RETRIES) {
          // Someone else has our nick in this room: try a distinguishable one.
          this.tries++;
          this.nick = `${this.baseNick}${this.tries === 1 ? '_' : this.tries}`;
          this.sendJoin();
          return;
        }
        this.fail(cond);
      }
      this.deliver(p, info);
      return;
    }
    const x = p.getChild('x', MUC_USER);
    if (!x) return;
    const codes = new Set(x.getChildren('status').map((s) => String(s.attrs.code)));
    const self = codes.has('110');
    info.self = self;
    const newNick = codes.has('303') ? (x.getChild('item')?.attrs.nick as string | undefined) : undefined;
    if (self && info.unavailable && newNick) {
      this.occupants.delete(nick);
      this.nick = newNick;
    } else if (self && info.unavailable) {
      // While joining, this is the echo of an earlier leave of ours: the join is still on its way.
      if (this.state === 'joining') return;
      const kicked = codes.has('307') || codes.has('301');
      this.state = kicked ? 'error' : 'idle';
      this.error = kicked ? 'kicked' : undefined;
      this.occupants.clear();
      this.deliver(p, info);
      this.notify(this.state, { reason: kicked ? 'kicked' : 'left', kicked });
      // The room went away or the server shut it down: come back when it does, unless thrown out.
      if (!kicked) {
        clearTimeout(this.rejoinTimer);
        this.rejoinTimer = setTimeout(() => { if (this.holds.size && this.state === 'idle') this.join(); }, REJOIN_DELAY);
      }
      return;
    } else if (info.unavailable) {
      this.occupants.delete(nick);
    } else {
      this.occupants.set(nick, p);
    }
    if (self && !info.unavailable) {
      // The server may have changed our nick (status 210).
      if (nick !== this.nick) {
        this.occupants.delete(this.nick);
        this.nick = nick;
      }
      if (this.state === 'joining') {
        clearTimeout(this.timer);
        this.state = 'joined';
        this.tries = 0;
        this.deliver(p, info);
        for (const w of this.waiters.splice(0)) w.resolve();
        this.notify('joined', { fresh: true });
        return;
      }
    }
    this.deliver(p, info);
  }

  private deliver(p: Element, info: PresenceInfo) {
    for (const h of [...this.holds]) h.listener.presence?.(p, info);
  }

  onMessage(m: Element, nick: string): boolean {
    for (const h of [...this.holds]) if (h.listener.message?.(m, nick) === true) return true;
    return false;
  }
}

/** One part's interest in a room. Release it when done; the room is left with the last one. */
export class RoomHold {
  /** This part's presence payload, sent with ours to the room. */
  extension?: Element;
  private released = false;

  constructor(private readonly owner: Memberships, private readonly m: Membership, readonly listener: RoomListener) {}

  get room() { return this.m.room; }
  get nick() { return this.m.nick; }
  get state() { return this.m.state; }
  get error() { return this.m.error; }
  get joined() { return this.m.state === 'joined'; }
  /** The last presence of each occupant, by nick. */
  get occupants(): ReadonlyMap<string, Element> { return this.m.occupants; }
  /** Our own occupant's presence (role and affiliation are in its muc#user item). */
  get self(): Element | undefined { return this.m.self; }

  /** Resolves once we are in the room (at once if we already are). */
  ready(): Promise<void> {
    return this.released ? Promise.reject(new Error('released')) : this.m.ready();
  }

  /** Joins again after an error or a kick, if nobody has yet. */
  rejoin() {
    if (this.m.state === 'idle' || this.m.state === 'error') this.m.join();
  }

  /** Sets this part's presence payload (null removes it) and tells the room. */
  setExtension(el: Element | null) {
    this.extension = el ?? undefined;
    this.m.announce();
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.owner.drop(this.m, this);
  }
}

export class Memberships {
  private readonly rooms = new Map<string, Membership>();

  constructor(private readonly conn: Connection) {
    conn.onStanza((s) => this.route(s));
    conn.onOnline((resumed) => {
      for (const m of this.rooms.values()) m.online(resumed);
    });
  }

  /** Takes an interest in `room`; joins it with `nick` unless this session is in it already. */
  hold(room: string, nick: string, listener: RoomListener): RoomHold {
    room = room.toLowerCase();
    let m = this.rooms.get(room);
    if (!m) {
      m = new Membership(this.conn, room, nick);
      this.rooms.set(room, m);
    }
    const h = new RoomHold(this, m, listener);
    m.holds.add(h);
    // A new interest also retries a room that refused us or threw us out before.
    if (m.state === 'idle' || m.state === 'error') m.join();
    return h;
  }

  /** Whether anything on this session holds `room`. */
  has(room: string): boolean {
    return this.rooms.has(room.toLowerCase());
  }

  /** @internal RoomHold.release */
  async drop(m: Membership, h: RoomHold) {
    m.holds.delete(h);
    if (m.holds.size > 0) {
      // The others stay; only this part's presence payload goes.
      if (h.extension) m.announce();
      return;
    }
    if (this.rooms.get(m.room) === m) this.rooms.delete(m.room);
    await m.leave();
  }

  private route(s: Element): boolean {
    const from = String(s.attrs.from ?? '');
    const slash = from.indexOf('/');
    const room = (slash < 0 ? from : from.slice(0, slash)).toLowerCase();
    const m = this.rooms.get(room);
    if (!m) return false;
    const nick = slash < 0 ? '' : from.slice(slash + 1);
    if (s.is('presence')) {
      m.onPresence(s, nick);
      return true;
    }
    // Archive results come from the room too; they belong to whoever queried.
    if (s.is('message') && !s.getChild('result', NS.mam)) return m.onMessage(s, nick);
    return false;
  }
}
