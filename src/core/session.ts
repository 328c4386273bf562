// An account's session: the connection plus the stores and actions elements use. Elements never
// build stanzas; they call these methods and render these stores.
import { atom } from 'nanostores';
import { parseArchived, recentChats } from './archive.js';
import { accountKey, type AccountConfig } from './config.js';
import { Connection } from './connection.js';
import { Contacts } from './contacts.js';
import { Conversation, type ConversationKind } from './conversation.js';
import type { Durable } from './durable.js';
import { chatStateMessage, displayedMessage } from './protocol/chat-states.js';
import { bare, type ChatMessage } from './protocol/message.js';
import { buildPresence, type Show } from './protocol/presence.js';
import { Rooms } from './rooms.js';
import { summarize, type ConversationSummary } from './summaries.js';
import { NS, xml } from './xmpp.js';

export const newId = () => crypto.randomUUID();

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
  readonly $ownPresence = atom<{ show: Show; status?: string }>({ show: 'available' });
  /** Every conversation worth listing, most recent activity first. */
  readonly $conversations = atom<readonly ConversationSummary[]>([]);
  readonly $unreadTotal = atom(0);
  private readonly conversations = new Map<string, Conversation>();
  private readonly incomingListeners = new Set<(e: IncomingEvent) => void>();
  /** The outbox, its sender and the cache, once their chunk is loaded (see durable.ts). */
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
    const changed = () => this.queueSummary();
    this.contacts = new Contacts(this.connection, changed);
    this.rooms = new Rooms(this.connection, () => this.config.nick ?? this.ownBare().split('@')[0]!,
      (e) => this.conversation(e.room, 'room').store.add([systemMessage(e.room, e.text)]), changed);
    // No stanza comes before the first connection, which waits for this chunk.
    this.connection.onStanza((s) => (s.is('message') && this.receive ? this.receive(this, s) : false));
    this.connection.onOnline((resumed) => this.onOnline(resumed));
    this.durable = import('./durable.js').then((m) => {
      const d = m.setupDurable(this, accountKey(config));
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
      c = new Conversation(key, k, this.connection,
        (items) => parseArchived(key, k, items, { ownBare: this.ownBare(), ownNick: this.rooms.nickIn(key) }), () => this.queueSummary());
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
  sendMessage(to: string, body: string): ChatMessage {
    const conv = this.conversation(to);
    const room = conv.kind === 'room';
    const id = newId();
    const nick = room ? this.rooms.nickIn(conv.jid) : undefined;
    const msg: ChatMessage = {
      key: id, conversation: conv.jid, from: room ? `${conv.jid}/${nick}` : this.ownBare(), nick,
      direction: 'out', body, timestamp: Date.now(), originId: id, id, status: 'pending',
    };
    conv.store.add([msg], 'live');
    this.stopComposing(conv.jid, false);
    void this.durable.then((d) => d.sender.enqueue(msg, conv.kind));
    return msg;
  }

  /** Sends a failed message again. */
  retry(conversation: string, key: string) {
    this.sender?.retry(bare(conversation), key);
  }

  async setPresence(show: Show, status?: string) {
    this.$ownPresence.set({ show, status });
    if (this.connection.online) await this.connection.send(buildPresence(show, status));
  }

  /**
   * The conversation the user is looking at (null: none, or the page/panel is hidden). Its
   * incoming messages count as read: unread clears and a displayed marker goes out.
   */
  setActive(jid: string | null) {
    this.active = jid ? bare(jid) : null;
    if (this.active) this.markRead(this.conversation(this.active));
  }

  /** Call on every edit of the composer; typing notifications follow (XEP-0085). */
  typing(jid: string) {
    const conv = this.conversation(jid);
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
    // Many changes arrive together (a roster, an archive page, a burst): recompute once per task.
    queueMicrotask(() => {
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
    const from = convs.map((c) => ({ c, after: lastArchiveId(c) }));
    if (!resumed) {
      // Asking the archive before the initial presence also tells Prosody we read it: it then
      // never bounces messages it archived for us as undeliverable when a stream of ours dies.
      await this.loadRecent().catch(() => {});
      const own = this.$ownPresence.get();
      await this.connection.send(buildPresence(own.show, own.status));
      await this.connection.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: NS.carbons }))).catch(() => {});
    }
    // Messages that may have gone out on a lost stream wait for the archive to say whether they
    // arrived; everything else goes out now.
    sender.holdUncertain();
    void sender.flush();
    await Promise.all(from.map(({ c, after }) => catchUp(c, after).catch(() => false).then((complete) => sender.checked(c.jid, complete))));
  }

  /** Recent 1:1 conversations from our archive, so the list shows them with previews. */
  private async loadRecent() {
    for (const [jid, msgs] of await recentChats(this.connection)) this.conversation(jid, 'chat').store.add(msgs);
  }

  /** Our other device read this conversation: unread clears here too. */
  readElsewhere(conv: Conversation) {
    conv.$unread.set(0);
    this.recountUnread();
  }

  /** Shows a message (the store merges copies); counts it unread unless the user is looking. */
  deliver(conv: Conversation, msg: ChatMessage) {
    const before = conv.$messages.get().length;
    conv.store.add([msg], 'live');
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
export function systemMessage(room: string, text: string): ChatMessage {
  const id = `sys-${crypto.randomUUID()}`;
  return { key: id, conversation: room, from: room, direction: 'in', body: text, timestamp: Date.now(), status: 'received', system: true };
}

