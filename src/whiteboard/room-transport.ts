// The board's view of its group room, on the session's shared membership (XEP-0045): a chat or a
// call in the same room is the same occupant, and closing the board leaves the room only when
// nothing else on the page is in it. Adds what only the board needs: its room's messages, and keeping
// the room persistent with archiving on when we own it, since the board lives in the archive.
import type { Connection } from '../core/connection.js';
import type { Memberships, RoomHold } from '../core/memberships.js';
import { NS, xml, type Element } from '../core/xmpp.js';

const MUC_USER = `${NS.muc}#user`;
const MUC_OWNER = `${NS.muc}#owner`;
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';

export type RoomState = 'idle' | 'joining' | 'joined' | 'error';

/** Messages from the room: `nick` is the sender's room nick ('' for the room itself). */
export type RoomMessageHandler = (msg: Element, nick: string) => boolean | void;

export class RoomTransport {
  readonly room: string;
  private hold?: RoomHold;
  private readonly messageHandlers = new Set<RoomMessageHandler>();
  private readonly joinedHandlers = new Set<(fresh: boolean) => void>();
  private readonly occupantHandlers = new Set<() => void>();

  constructor(readonly conn: Connection, private readonly memberships: Memberships, room: string, private readonly preferredNick: string) {
    this.room = room.toLowerCase();
  }

  get state(): RoomState {
    return this.hold?.state ?? 'idle';
  }

  get nick(): string {
    return this.hold?.nick ?? this.preferredNick;
  }

  get error(): string | undefined {
    return this.hold?.error;
  }

  private get item() {
    return this.hold?.self?.getChild('x', MUC_USER)?.getChild('item');
  }

  get role(): string {
    return String(this.item?.attrs.role ?? 'none');
  }

  get affiliation(): string {
    return String(this.item?.attrs.affiliation ?? 'none');
  }

  /** The room's occupants by nick (their last presence). */
  get occupants(): ReadonlyMap<string, Element> {
    return this.hold?.occupants ?? new Map();
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

  /** Takes the board's interest in the room; joined again after every reconnect that lost the stream. */
  start() {
    if (this.hold) return;
    const hold = this.memberships.hold(this.room, this.preferredNick, {
      message: (m, nick) => {
        for (const h of this.messageHandlers) if (h(m, nick) === true) return true;
        return false;
      },
      presence: () => {
        for (const fn of this.occupantHandlers) fn();
      },
      state: (state, detail) => {
        if (state === 'joined') void this.joined(detail.fresh !== false);
      },
    });
    this.hold = hold;
    // Already in the room for the chat or a call.
    if (hold.joined) void this.joined(true);
  }

  async stop() {
    const h = this.hold;
    this.hold = undefined;
    await h?.release();
  }

  async send(el: Element) {
    await this.conn.send(el);
  }

  private async joined(fresh: boolean) {
    if (fresh && this.affiliation === 'owner') await this.ensurePersistent().catch((e) => console.warn('cc: could not make the board room persistent', e));
    for (const fn of this.joinedHandlers) fn(fresh);
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
}
