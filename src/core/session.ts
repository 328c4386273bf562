// An account's session: the connection plus the stores and actions elements use. Elements never
// build stanzas; they call these methods and render these stores.
import { atom } from 'nanostores';
import { queryArchive } from './archive.js';
import { Avatars } from './avatars.js';
import { Blocking } from './blocking.js';
import { CallLog, type CallEvent } from './call-log.js';
import { accountKey, type AccountConfig } from './config.js';
import { Connection } from './connection.js';
import { Contacts } from './contacts.js';
import { Conversation, type ConversationKind } from './conversation.js';
import { Disco } from './disco.js';
import { setupDurable, type Durable } from './durable.js';
import { Memberships } from './memberships.js';
import type { ActionSource } from './message-actions.js';
import { Mutes } from './mutes.js';
import { isAction } from './protocol/actions.js';
import { chatStateMessage, displayedMessage } from './protocol/chat-states.js';
import type { ArchivedStanza } from './protocol/mam.js';
import { bare, parseChatMessage, parseGroupMessage, type ChatMessage } from './protocol/message.js';
import { parseInvite } from './protocol/muc.js';
import { buildPresence, nickElement, readNick, type Show } from './protocol/presence.js';
import { Rooms } from './rooms.js';
import type { OutgoingExtras } from './sending.js';
import { summarize, type ConversationSummary } from './summaries.js';
import { NS, xml, type Element } from './xmpp.js';
import type { Template } from './template.js';

export const newId = () => crypto.randomUUID();
export type { OutgoingExtras };

export interface IncomingEvent {
  from: string;
  conversation: string;
  text: string;
}

const PAUSE_AFTER = 5000;
/** Longest wait before a displayed marker goes out for messages read as they arrive. */
const MARK_EVERY = 300;

export class Session {
  readonly connection: Connection;
  readonly contacts: Contacts;
  readonly rooms: Rooms;
  /** Room memberships shared by the chat, room calls and boards of this session. */
  readonly memberships: Memberships;
  readonly disco: Disco;
  readonly avatars: Avatars;
  readonly mutes: Mutes;
  readonly blocking: Blocking;
  /** Calls (XEP-0353) as events in their conversations. */
  readonly callLog: CallLog;
  /** `since`: when the user set themselves away (sent as their XEP-0319 idle time). */
  readonly $ownPresence = atom<{ show: Show; status?: string; since?: number }>({ show: 'available' });
  /** Every conversation worth listing, most recent activity first. */
  readonly $conversations = atom<readonly ConversationSummary[]>([]);
  readonly $unreadTotal = atom(0);
  private readonly conversations = new Map<string, Conversation>();
  private readonly incomingListeners = new Set<(e: IncomingEvent) => void>();
  /** The outbox, its sender and the cache, once set up (see durable.ts). */
  readonly durable: Promise<Durable>;
  sender?: Durable['sender'];
  private persistence?: Durable['persistence'];
  private receive?: Durable['receiveMessage'];
  private onlineBefore = false;
  /** logout() ran: this session is over. */
  signedOut = false;
  private active: string | null = null;
  private composing = new Map<string, ReturnType<typeof setTimeout>>();
  private markTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private summaryQueued = false;

  constructor(readonly config: AccountConfig) {
    this.connection = new Connection(config, `cc-${newId().slice(0, 8)}`);
    this.disco = new Disco(this.connection);
    this.disco.onChange(() => void this.announcePresence().catch(() => {}));
    this.avatars = new Avatars(this.connection, this.disco);
    this.mutes = new Mutes(this.connection);
    this.blocking = new Blocking(this.connection);
    // Whatever was on screen from someone just blocked goes too (the archive may also have raced the list).
    this.blocking.$blocked.listen(() => {
      for (const c of this.conversations.values()) c.store.removeWhere((m) => this.fromBlocked(m));
      this.queueSummary();
    });
    const changed = () => this.queueSummary();
    this.contacts = new Contacts(this.connection, changed);
    this.memberships = new Memberships(this.connection);
    this.rooms = new Rooms(this.connection, this.memberships, () => this.config.nick ?? this.ownBare().split('@')[0]!,
      (e) => this.conversation(e.room, 'room').store.add([systemMessage(e.room, e.text, e.template)]), changed);
    this.callLog = new CallLog(() => ({ bare: this.connection.bare, full: this.connection.jid }), (e) => this.postCallEvent(e));
    this.connection.onStanza((s) => {
      // Only watches: the call engine, when loaded, acts on these messages.
      if (s.is('message')) this.callLog.received(s);
      return false;
    });
    // No stanza comes before the first connection, which waits for the durable parts.
    this.connection.onStanza((s) => (s.is('message') && this.receive ? this.receive(this, s) : false));
    this.connection.onOnline((resumed) => this.onOnline(resumed));
    // Set up once the session is fully built (the durable parts take it whole).
    this.durable = Promise.resolve().then(() => {
      const d = setupDurable(this, accountKey(config));
      this.sender = d.sender;
      this.receive = d.receiveMessage;
      this.persistence = d.persistence;
      // Messages held for a room go out once we are in it.
      this.rooms.$rooms.listen(() => void d.sender.flush());
      return d;
    });
  }

  nickIn(room: string): string | undefined {
    return this.rooms.nickIn(room);
  }

  /** For the outbox: whether a room takes our messages now. */
  roomState(room: string): 'joined' | 'failed' | 'waiting' {
    const r = this.rooms.$rooms.get()[room];
    // Not known yet after a reload: the bookmarks will say.
    if (!r) return this.rooms.settled ? 'failed' : 'waiting';
    return r.joined ? 'joined' : r.error ? 'failed' : 'waiting';
  }

  /** Our address: known from the configuration or an earlier login even before this one. */
  ownBare(): string {
    const l = this.config.login;
    return this.connection.bare || (l.kind === 'password' ? l.jid.toLowerCase() : this.persistence?.cachedJid ?? '');
  }

  get $presence() {
    return this.contacts.$presence;
  }

  /** Connects once the previous page's resumable stream (if any) is known. */
  async start() {
    await this.durable.catch((e) => console.warn('cc: no outbox or cache', e));
    return this.connection.start();
  }

  stop() {
    return this.connection.stop();
  }

  /** Ends the session and forgets this account on this device: cache, outbox, resumable stream. */
  async logout() {
    this.signedOut = true;
    const d = await this.durable;
    d.persistence.signOut();
    await this.connection.stop();
    await d.persistence.erase();
  }

  conversationList(): Iterable<Conversation> {
    return this.conversations.values();
  }

  listChanged() {
    this.queueSummary();
  }

  conversation(jid: string, kind?: ConversationKind): Conversation {
    const key = bare(jid);
    let c = this.conversations.get(key);
    if (!c) {
      const k = kind ?? (this.rooms.$rooms.get()[key] ? 'room' : 'chat');
      c = new Conversation(key, k, this.connection, (items) => this.parseArchive(key, k, items), () => this.queueSummary());
      this.conversations.set(key, c);
      this.persistence?.track(c);
      this.queueSummary();
    }
    return c;
  }

  onIncoming(fn: (e: IncomingEvent) => void): () => void {
    this.incomingListeners.add(fn);
    return () => this.incomingListeners.delete(fn);
  }

  /** Shows the message at once as pending; it turns sent when the server has it (see Sender). */
  sendMessage(to: string, body: string, extras: OutgoingExtras = {}): ChatMessage {
    const conv = this.conversation(to);
    const room = conv.kind === 'room';
    const id = newId();
    const nick = room ? this.rooms.nickIn(conv.jid) : undefined;
    const msg: ChatMessage = {
      key: id, conversation: conv.jid, from: room ? `${conv.jid}/${nick}` : this.ownBare(), nick,
      direction: 'out', body, timestamp: Date.now(), originId: id, id, status: 'pending', ...extras.fields,
    };
    conv.store.add([msg], 'live');
    this.stopComposing(conv.jid, false);
    void this.durable.then((d) => d.sender.enqueue(msg, conv.kind, extras));
    return msg;
  }

  /** Sends a failed message again. */
  retry(conversation: string, key: string) {
    this.sender?.retry(bare(conversation), key);
  }

  async setPresence(show: Show, status?: string) {
    const prev = this.$ownPresence.get();
    const away = (v: Show) => v === 'away' || v === 'xa';
    this.$ownPresence.set({ show, status, since: away(show) ? (away(prev.show) && prev.since) || Date.now() : undefined });
    await this.announcePresence();
  }

  /** Our presence, with caps so contacts and the server's PEP know what we support. */
  private async announcePresence() {
    const own = this.$ownPresence.get();
    const caps = await this.disco.caps();
    const nick = this.config.nick ? [nickElement(this.config.nick)] : [];
    if (this.connection.online) await this.connection.send(buildPresence(own.show, own.status, [caps, ...nick], own.since));
  }

  /**
   * The conversation the user is looking at (null: none, or the page/panel is hidden). Its
   * incoming messages count as read: unread clears and a displayed marker goes out.
   */
  setActive(jid: string | null) {
    this.active = jid ? bare(jid) : null;
    if (this.active) this.markRead(this.conversation(this.active));
  }

  /** Call on every edit of the composer (`composing`: the box has text); typing notifications follow (XEP-0085). */
  typing(jid: string, composing = true) {
    const conv = this.conversation(jid);
    // An emptied box is a stop, like a pause.
    if (!composing) return this.stopComposing(conv.jid, true);
    if (!this.composing.has(conv.jid)) void this.sendState(conv, 'composing');
    clearTimeout(this.composing.get(conv.jid));
    this.composing.set(conv.jid, setTimeout(() => this.stopComposing(conv.jid, true), PAUSE_AFTER));
  }

  private stopComposing(jid: string, sendPaused: boolean) {
    if (!this.composing.has(jid)) return;
    clearTimeout(this.composing.get(jid));
    this.composing.delete(jid);
    if (sendPaused) void this.sendState(this.conversation(jid), 'paused');
  }

  private async sendState(conv: Conversation, state: 'composing' | 'paused') {
    if (!this.connection.online) return;
    if (conv.kind === 'room' && !this.rooms.$rooms.get()[conv.jid]?.joined) return;
    await this.connection.send(chatStateMessage(conv.jid, state, conv.kind === 'room' ? 'groupchat' : 'chat')).catch(() => {});
  }

  private markRead(conv: Conversation) {
    conv.$unread.set(0);
    this.recountUnread();
    const lastIn = [...conv.$messages.get()].reverse().find((m) => m.direction === 'in' && !m.system);
    if (!lastIn || !this.connection.online) return;
    const ref = conv.kind === 'room' ? lastIn.stanzaId : lastIn.id;
    if (!ref || lastIn.status === 'read') return;
    conv.store.update(lastIn.key, { status: 'read' });
    void this.connection.send(displayedMessage(conv.jid, ref, conv.kind === 'room' ? 'groupchat' : 'chat')).catch(() => {});
  }

  /**
   * A marker covers every message before it (XEP-0333), so during a burst one per short while is
   * enough; one per message doubled the server's work and slowed the burst itself down.
   */
  private markReadSoon(conv: Conversation) {
    if (this.markTimers.has(conv.jid)) return;
    this.markTimers.set(conv.jid, setTimeout(() => {
      this.markTimers.delete(conv.jid);
      if (this.active === conv.jid) this.markRead(conv);
    }, MARK_EVERY));
  }

  private recountUnread() {
    let total = 0;
    for (const c of this.conversations.values()) total += c.$unread.get();
    if (total !== this.$unreadTotal.get()) this.$unreadTotal.set(total);
  }

  private queueSummary() {
    if (this.summaryQueued) return;
    this.summaryQueued = true;
    // Many changes arrive together (a roster, an archive page, a burst): recompute once, in a task of
    // its own (with 10,000 contacts, this and drawing the list are long enough on their own).
    setTimeout(() => {
      this.summaryQueued = false;
      const now = summarize(this.contacts.$roster.get(), this.rooms.$rooms.get(), this.conversations.values(), (j) => this.contacts.name(j));
      this.$conversations.set(this.persistence?.withCache(now) ?? now);
      this.recountUnread();
    });
  }

  private async onOnline(resumed: boolean) {
    const { sender, persistence, catchUp, lastArchiveId } = await this.durable;
    await persistence.restored;
    persistence.rememberJid(this.connection.bare);
    const firstOnPage = !this.onlineBefore;
    this.onlineBefore = true;
    // A fresh stream may have missed messages while we were away, and a new page knows only what
    // the cache kept: the archive has the rest, from the newest message each conversation knows.
    // A resumed stream missed nothing, but messages of ours may still wait for the archive to say
    // whether an earlier stream delivered them.
    const convs = resumed && !firstOnPage ? sender.uncertainConversations().map((j) => this.conversation(j)) : [...this.conversations.values()];
    // A new page reads on from what its cache knew: a resumed stream may already have delivered
    // newer messages, and reading on from those would skip what the cache missed ('': not cached,
    // read the newest page).
    const from = convs.map((c) => ({ c, after: sender.checkFrom(c.jid) ?? (firstOnPage ? persistence.cachedAnchors.get(c.jid) ?? '' : lastArchiveId(c)) }));
    if (!resumed) {
      // Asking the archive before the initial presence also tells Prosody we read it: it then
      // never bounces messages it archived for us as undeliverable when a stream of ours dies.
      await this.loadRecent().catch(() => {});
      await this.announcePresence();
      await this.connection.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: NS.carbons }))).catch(() => {});
    }
    // Messages that may have gone out on a lost stream wait for the archive to say whether they
    // arrived; everything else goes out now.
    sender.holdUncertain();
    void sender.flush();
    await Promise.all(from.map(({ c, after }) => catchUp(c, after).catch(() => false).then((complete) => sender.checked(c.jid, complete))));
  }

  /**
   * Recent 1:1 conversations from our archive, so the list shows them with previews. Only into
   * conversations that have no messages yet: for the others, this newest page is disjoint from what
   * they show, and their catch-up reads the gap in archive order.
   */
  private async loadRecent() {
    const page = await queryArchive(this.connection, { before: '', max: 100 });
    const byConv = new Map<string, ChatMessage[]>();
    for (const m of this.parseArchive(null, 'chat', page.items)) {
      if (!byConv.has(m.conversation)) byConv.set(m.conversation, []);
      byConv.get(m.conversation)!.push(m);
    }
    for (const [jid, msgs] of byConv) {
      const conv = this.conversation(jid, 'chat');
      if (conv.$messages.get().length === 0) conv.store.add(msgs);
    }
  }

  private parseArchive(jid: string | null, kind: ConversationKind, items: ArchivedStanza[]): ChatMessage[] {
    const own = this.ownBare();
    const out: ChatMessage[] = [];
    if (kind === 'chat') for (const it of items) this.callLog.received(it.message, it.timestamp);
    for (const it of items) {
      // An invitation to a room is not a conversation with the room (rooms.ts handles live ones).
      if (kind === 'chat' && parseInvite(it.message)) continue;
      if (isAction(it.message)) {
        const from = bare(String(it.message.attrs.from ?? own));
        const conv = jid ?? (from === own ? bare(String(it.message.attrs.to ?? '')) : from);
        if (conv) this.takeAction(this.conversation(conv, kind), it.message, { archived: it, sent: kind === 'chat' && from === own });
        continue;
      }
      if (kind === 'chat') {
        const from = bare(String(it.message.attrs.from ?? own));
        if (from !== own) this.contacts.learnNick(from, readNick(it.message));
      }
      const m = kind === 'room'
        ? parseGroupMessage(it.message, { ownNick: this.rooms.nickIn(jid!), archived: { ...it, by: jid! } })
        : parseChatMessage(it.message, { ownBare: own, archived: { ...it, by: own } });
      if (m && (jid === null || m.conversation === jid) && !this.fromBlocked(m)) out.push(m);
    }
    return out;
  }

  /** A message by someone the user blocked: hidden (the server stops new ones; these are older or in rooms). */
  private fromBlocked(m: ChatMessage): boolean {
    if (m.direction !== 'in') return false;
    const author = m.from.includes('/') && this.rooms.$rooms.get()[m.conversation]
      ? this.rooms.$rooms.get()[m.conversation]!.occupants[m.from.slice(m.conversation.length + 1)]?.jid
      : m.from;
    return !!author && this.blocking.has(bare(author));
  }

  /** Shows a call event in its conversation, or updates it as the call goes on. */
  private postCallEvent(e: CallEvent) {
    const conv = this.conversation(e.conversation, 'chat');
    if (conv.$messages.get().some((m) => m.key === e.key)) conv.store.update(e.key, { body: e.text, template: e.template });
    else {
      conv.store.add([{
        key: e.key, id: e.key, conversation: conv.jid, from: conv.jid, direction: 'in', body: e.text, template: e.template,
        timestamp: e.timestamp, status: 'received', system: true,
      }]);
    }
  }

  private actions?: Promise<typeof import('./message-actions.js')>;

  /** Corrections, retractions and reactions: their code loads on first use; order is kept. */
  takeAction(conv: Conversation, m: Element, src: ActionSource) {
    // Callbacks on one promise run in the order they were added.
    this.actions ??= import('./message-actions.js');
    this.actions.then((a) => a.receiveAction(this, conv, m, src)).catch((e) => console.warn('cc: could not apply a message action', e));
  }

  /** Our other device read this conversation: unread clears here too. */
  readElsewhere(conv: Conversation) {
    conv.$unread.set(0);
    this.recountUnread();
  }

  /** Shows a message (the store merges copies); counts it unread unless the user is looking. */
  deliver(conv: Conversation, msg: ChatMessage) {
    if (this.fromBlocked(msg)) return;
    const before = conv.$messages.get().length;
    // A room's echo of ours takes the room's order, which everyone else sees.
    conv.store.add([msg], conv.kind === 'room' && msg.direction === 'out' ? 'newest' : 'live');
    if (msg.direction !== 'in' || conv.$messages.get().length === before) return;
    if (this.active === conv.jid) this.markReadSoon(conv);
    else {
      conv.$unread.set(conv.$unread.get() + 1);
      this.recountUnread();
    }
    for (const fn of this.incomingListeners) fn({ from: msg.from, conversation: msg.conversation, text: msg.body });
  }
}

/** A room event (join, leave, subject change) shown as a line in the room. */
export function systemMessage(room: string, text: string, template?: Template): ChatMessage {
  const id = `sys-${crypto.randomUUID()}`;
  return { key: id, conversation: room, from: room, direction: 'in', body: text, template, timestamp: Date.now(), status: 'received', system: true };
}
