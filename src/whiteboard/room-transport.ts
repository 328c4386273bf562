// Just enough XEP-0045 for the board: join a room (no history replay: the board reads the archive),
// keep the room persistent with archiving on when we own it, route the room's messages, rejoin after
// a reconnect that lost the session. Small on purpose, so it can move onto the shared MUC module.
import type { Connection } from '../core/connection.js';
import { NS, xml, type Element } from '../core/xmpp.js';

const MUC_USER = `${NS.muc}#user`;
const MUC_OWNER = `${NS.muc}#owner`;
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';

export interface Occupant { nick: string; role: string; affiliation: string }

export type RoomState = 'idle' | 'joining' | 'joined' | 'error';

/** Messages from the room: `nick` is the sender's room nick ('' for the room itself). */
export type RoomMessageHandler = (msg: Element, nick: string) => boolean | void;

export class RoomTransport {
  readonly room: string;
  state: RoomState = 'idle';
  nick: string;
  role = 'none';
  affiliation = 'none';
  error?: string;
  readonly occupants = new Map<string, Occupant>();
  private readonly messageHandlers = new Set<RoomMessageHandler>();
  private readonly joinedHandlers = new Set<(fresh: boolean) => void>();
  private readonly occupantHandlers = new Set<() => void>();
  private offStanza?: () => void;
  private offOnline?: () => void;
  private wanted = false;
  private waiter?: { resolve: () => void; reject: (e: Error) => void };
  private attempt = 0;

  constructor(readonly conn: Connection, room: string, nick: string) {
    this.room = room.toLowerCase();
    this.nick = nick;
  }

  get ready(): boolean {
    return this.state === 'joined' && this.conn.online;
  }

  onMessage(fn: RoomMessageHandler): () => void {
    this.messageHandlers.add(fn);
    return () => this.messageHandlers.delete(fn);
  }

  /** After each join; `fresh` is false when a resumed stream kept us in the room. */
  onJoined(fn: (fresh: boolean) => void): () => void {
    this.joinedHandlers.add(fn);
    return () => this.joinedHandlers.delete(fn);
  }

  onOccupants(fn: () => void): () => void {
    this.occupantHandlers.add(fn);
    return () => this.occupantHandlers.delete(fn);
  }

  /** Joins now if online, and again after every reconnect that did not resume the stream. */
  start() {
    this.wanted = true;
    this.offStanza ??= this.conn.onStanza((s) => this.onStanza(s));
    this.offOnline ??= this.conn.onOnline((resumed) => {
      if (!this.wanted) return;
      if (resumed && this.state === 'joined') {
        for (const fn of this.joinedHandlers) fn(false);
        return;
      }
      this.state = 'idle';
      void this.join().catch(() => {});
    });
    if (this.conn.online && this.state === 'idle') void this.join().catch(() => {});
  }

  async stop() {
    this.wanted = false;
    this.offOnline?.();
    this.offOnline = undefined;
    if (this.state === 'joined' && this.conn.online) {
      await this.conn.send(xml('presence', { to: `${this.room}/${this.nick}`, type: 'unavailable' })).catch(() => {});
    }
    this.offStanza?.();
    this.offStanza = undefined;
    this.state = 'idle';
    this.occupants.clear();
  }

  async send(el: Element) {
    await this.conn.send(el);
  }

  async join(): Promise<void> {
    if (this.state === 'joining') return;
    this.state = 'joining';
    this.occupants.clear();
    const joined = new Promise<void>((resolve, reject) => { this.waiter = { resolve, reject }; });
    const timer = setTimeout(() => this.waiter?.reject(new Error('no answer from the room')), 15_000);
    try {
      await this.conn.send(xml('presence', { to: `${this.room}/${this.nick}` },
        xml('x', { xmlns: NS.muc }, xml('history', { maxstanzas: '0' }))));
      await joined;
    } catch (e) {
      this.state = 'error';
      this.error = (e as Error).message;
      throw e;
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
    this.attempt = 0;
    if (this.affiliation === 'owner') await this.ensurePersistent().catch((e) => console.warn('cc: could not make the board room persistent', e));
    for (const fn of this.joinedHandlers) fn(true);
  }

  /**
   * An empty temporary room is destroyed with its archive, which would lose the board. As owner we make
   * it persistent with archiving on (Prosody's muc_mam archives by default; the form field is standard).
   */
  private async ensurePersistent() {
    const info = await this.conn.request(xml('iq', { type: 'get', to: this.room }, xml('query', { xmlns: DISCO_INFO })));
    const features = info.getChild('query', DISCO_INFO)?.getChildren('feature').map((f) => f.attrs.var) ?? [];
    if (features.includes('muc_persistent') && features.includes(NS.mam)) return;
    const field = (v: string, value: string) => xml('field', { var: v }, xml('value', {}, value));
    await this.conn.request(xml('iq', { type: 'set', to: this.room },
      xml('query', { xmlns: MUC_OWNER }, xml('x', { xmlns: NS.dataForms, type: 'submit' },
        field('FORM_TYPE', `${NS.muc}#roomconfig`),
        field('muc#roomconfig_persistentroom', '1'),
        field('muc#roomconfig_enablearchiving', '1')))));
  }

  private onStanza(s: Element): boolean {
    const from = String(s.attrs.from ?? '');
    const [bareFrom, ...rest] = from.split('/');
    if (bareFrom?.toLowerCase() !== this.room) return false;
    const nick = rest.join('/');
    if (s.is('presence')) return this.onPresence(s, nick);
    if (s.is('message')) {
      // Archive query results are the archive module's; leave them alone.
      if (s.getChild('result', NS.mam)) return false;
      for (const h of this.messageHandlers) if (h(s, nick) === true) return true;
    }
    return false;
  }

  private onPresence(p: Element, nick: string): boolean {
    const x = p.getChild('x', MUC_USER);
    const codes = new Set(x?.getChildren('status').map((c) => c.attrs.code) ?? []);
    if (p.attrs.type === 'error') {
      if (nick !== this.nick || this.state !== 'joining') return true;
      const cond = p.getChild('error')?.children.find((c) => typeof c !== 'string') as Element | undefined;
      if (cond?.name === 'conflict' && this.attempt < 5) {
        // Someone else uses our nick in this room: try a distinguishable one.
        this.attempt++;
        const base = this.nick.replace(/ \(\d+\)$/, '');
        this.nick = `${base} (${this.attempt + 1})`;
        void this.conn.send(xml('presence', { to: `${this.room}/${this.nick}` },
          xml('x', { xmlns: NS.muc }, xml('history', { maxstanzas: '0' })))).catch((e) => this.waiter?.reject(e));
        return true;
      }
      this.waiter?.reject(new Error(`cannot join ${this.room}: ${cond?.name ?? 'error'}`));
      return true;
    }
    const item = x?.getChild('item');
    const self = codes.has('110');
    if (p.attrs.type === 'unavailable') {
      this.occupants.delete(nick);
      if (self) {
        this.state = 'idle';
        // Kicked, banned or the room went away: join again later unless we are leaving.
        if (this.wanted && !codes.has('307') && !codes.has('301')) setTimeout(() => { if (this.wanted && this.conn.online && this.state === 'idle') void this.join().catch(() => {}); }, 2000);
      }
    } else {
      const occ = { nick, role: item?.attrs.role ?? 'participant', affiliation: item?.attrs.affiliation ?? 'none' };
      this.occupants.set(nick, occ);
      if (self) {
        if (nick) this.nick = nick;
        this.role = occ.role;
        this.affiliation = occ.affiliation;
        if (this.state === 'joining') {
          this.state = 'joined';
          this.waiter?.resolve();
        }
      }
    }
    for (const fn of this.occupantHandlers) fn();
    return true;
  }
}
